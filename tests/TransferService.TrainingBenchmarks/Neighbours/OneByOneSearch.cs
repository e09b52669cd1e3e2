using System.Numerics.Tensors;

namespace TransferService.TrainingBenchmarks.Neighbours;

/// <summary>The baseline: how the neighbour index searched before its batched kernel, each query on its own (in
/// parallel across queries), a dot product per row and a running top-k.</summary>
internal static class OneByOneSearch
{
    public static (int Row, float Similarity)[][] Nearest(float[] rows, int dimension, float[] queries, int queryCount, int k, int[]? skipRows)
    {
        var found = new (int Row, float Similarity)[queryCount][];
        Parallel.For(0, queryCount, q => found[q] = Nearest(rows, dimension, queries.AsSpan(q * dimension, dimension), k, skipRows?[q] ?? -1));
        return found;
    }

    private static (int Row, float Similarity)[] Nearest(float[] rows, int dimension, ReadOnlySpan<float> query, int k, int skipRow)
    {
        var best = new (int Row, float Similarity)[k];
        var filled = 0;
        for (var row = 0; row < rows.Length / dimension; row++)
        {
            if (row == skipRow) continue;
            var similarity = TensorPrimitives.Dot(query, rows.AsSpan(row * dimension, dimension));
            if (filled == k && similarity <= best[k - 1].Similarity) continue;
            var at = filled < k ? filled++ : k - 1;
            while (at > 0 && best[at - 1].Similarity < similarity) { best[at] = best[at - 1]; at--; }
            best[at] = (row, similarity);
        }
        return best[..filled];
    }
}
