using TransferService.Core.Backbones;
using TransferService.Core.Errors;

namespace TransferService.Onnx.Sessions;

/// <summary>Turns a backbone output tensor into one vector per item, per the manifest's <see cref="Pooling"/>.</summary>
internal static class EmbeddingPooler
{
    /// <param name="output">The output tensor, shape <paramref name="shape"/> with the batch first; rows past the
    /// items <paramref name="embeddings"/> holds (a padded run's) are left out.</param>
    /// <param name="mask">Attention mask [count × tokens] for <see cref="Pooling.MaskedMean"/>.</param>
    public static void Pool(Pooling pooling, ReadOnlySpan<float> output, long[] shape, ReadOnlySpan<long> mask,
        int dimension, Span<float> embeddings)
    {
        var rows = (int)shape[0];
        var perItem = output.Length / Math.Max(rows, 1);
        var count = embeddings.Length / dimension;
        Expect(count <= rows, shape, dimension);
        switch (pooling)
        {
            case Pooling.None:
                Expect(perItem == dimension, shape, dimension);
                output[..(count * dimension)].CopyTo(embeddings);
                break;
            case Pooling.SpatialMean:
                Expect(shape.Length >= 3 && shape[1] == dimension, shape, dimension);
                MeanOverRows(output, count, dimension, perItem / dimension, transposed: true, mask: [], embeddings);
                break;
            case Pooling.MaskedMean:
                Expect(shape.Length == 3 && shape[2] == dimension, shape, dimension);
                MeanOverRows(output, count, dimension, (int)shape[1], transposed: false, mask, embeddings);
                break;
            case Pooling.Cls:
                Expect(shape.Length == 3 && shape[2] == dimension, shape, dimension);
                for (var i = 0; i < count; i++)
                    output.Slice(i * perItem, dimension).CopyTo(embeddings.Slice(i * dimension, dimension));
                break;
        }
    }

    /// <summary>Per item, the mean of <paramref name="rows"/> vectors: laid out [rows, dim] (tokens) or,
    /// transposed, [dim, rows] (channels × positions). A non-empty mask selects the rows that count.</summary>
    private static void MeanOverRows(ReadOnlySpan<float> output, int count, int dimension, int rows, bool transposed,
        ReadOnlySpan<long> mask, Span<float> embeddings)
    {
        var sums = new double[dimension];
        for (var i = 0; i < count; i++)
        {
            Array.Clear(sums);
            var item = output.Slice(i * rows * dimension, rows * dimension);
            var kept = 0;
            for (var r = 0; r < rows; r++)
            {
                if (!mask.IsEmpty && mask[i * rows + r] == 0) continue;
                kept++;
                for (var d = 0; d < dimension; d++) sums[d] += transposed ? item[d * rows + r] : item[r * dimension + d];
            }
            var target = embeddings.Slice(i * dimension, dimension);
            for (var d = 0; d < dimension; d++) target[d] = (float)(sums[d] / Math.Max(kept, 1));
        }
    }

    private static void Expect(bool condition, long[] shape, int dimension)
    {
        if (!condition)
            throw new TransferException(ErrorCode.FailedPrecondition,
                $"the backbone's output has shape [{string.Join(",", shape)}], which does not match its manifest (dimension {dimension})",
                "dimension");
    }
}
