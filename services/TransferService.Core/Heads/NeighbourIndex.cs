using System.Numerics.Tensors;

namespace TransferService.Core.Heads;

/// <summary>A head's training embeddings for exact nearest-neighbour search: each row centred on the training mean
/// and scaled to unit length, so a dot product is a cosine similarity. Centring matters because backbone embeddings
/// share a large common component (pooled ReLU outputs are all positive), which makes every raw cosine high.
/// <see cref="Familiarity"/> is the mean similarity to the <see cref="FamiliarityNeighbours"/> nearest rows, clamped
/// to 0–1: high where the training data is dense around the input, low far from it.</summary>
public sealed class NeighbourIndex
{
    /// <summary>Brute-force search costs rows × dimension per input; beyond this many rows the index keeps an even
    /// sample (100,000 × 768 floats is 300 MB).</summary>
    public const int MaxRows = 100_000;
    public const int FamiliarityNeighbours = 5;

    public NeighbourIndex(string datasetId, int dimension, float[] mean, float[] vectors, int[] labels, int[] examples)
    {
        if (mean.Length != dimension || vectors.Length != labels.Length * dimension || examples.Length != labels.Length)
            throw new InvalidDataException("neighbour index sizes disagree");
        (DatasetId, Dimension, Mean, Vectors, Labels, Examples) = (datasetId, dimension, mean, vectors, labels, examples);
    }

    public string DatasetId { get; }
    public int Dimension { get; }
    public float[] Mean { get; }
    /// <summary>[Count × Dimension] row-major, centred and unit length.</summary>
    public float[] Vectors { get; }
    /// <summary>Per row: the index of its label in the head's labels.</summary>
    public int[] Labels { get; }
    /// <summary>Per row: the example's index in <see cref="DatasetId"/>.</summary>
    public int[] Examples { get; }
    public int Count => Labels.Length;

    /// <summary>Indexes a dataset's embeddings [rows × dimension] (row r is example r), sampling evenly above
    /// <see cref="MaxRows"/>.</summary>
    public static NeighbourIndex Build(string datasetId, float[] features, int[] labels, int dimension)
    {
        var stride = Math.Max(1, (labels.Length + MaxRows - 1) / MaxRows);
        var examples = Enumerable.Range(0, labels.Length).Where(r => r % stride == 0).ToArray();
        var mean = new float[dimension];
        foreach (var row in examples)
            for (var j = 0; j < dimension; j++) mean[j] += features[row * dimension + j] / examples.Length;
        var vectors = new float[examples.Length * dimension];
        for (var i = 0; i < examples.Length; i++)
            Centre(features.AsSpan(examples[i] * dimension, dimension), mean, vectors.AsSpan(i * dimension, dimension));
        return new NeighbourIndex(datasetId, dimension, mean, vectors, examples.Select(r => labels[r]).ToArray(), examples);
    }

    /// <summary>The input's embedding as the index compares it: centred, unit length.</summary>
    public float[] Query(ReadOnlySpan<float> embedding) => Queries(embedding, 1);

    /// <summary>Inputs' embeddings [count × dimension] as the index compares them: each centred, unit length.</summary>
    public float[] Queries(ReadOnlySpan<float> embeddings, int count)
    {
        var queries = new float[count * Dimension];
        for (var i = 0; i < count; i++)
            Centre(embeddings.Slice(i * Dimension, Dimension), Mean, queries.AsSpan(i * Dimension, Dimension));
        return queries;
    }

    /// <summary>The <paramref name="k"/> most similar rows, most similar first; <paramref name="skipRow"/> is left
    /// out (a row scored against the others, as if held out).</summary>
    public (int Row, float Similarity)[] Nearest(ReadOnlySpan<float> query, int k, int skipRow = -1) =>
        Nearest(query.ToArray(), 1, k, skipRow >= 0 ? [skipRow] : null)[0];

    /// <summary><see cref="Nearest(ReadOnlySpan{float}, int, int)"/> for <paramref name="count"/> queries at once
    /// ([count × dimension], as <see cref="Queries"/> makes them), much faster than one by one (see
    /// <see cref="SimilaritySearch"/>); <paramref name="skipRows"/> holds a row to leave out per query, or -1.</summary>
    public (int Row, float Similarity)[][] Nearest(float[] queries, int count, int k, int[]? skipRows = null,
        CancellationToken cancellation = default) =>
        SimilaritySearch.Nearest(Vectors, Dimension, queries, count, k, skipRows, cancellation);

    public float Familiarity(ReadOnlySpan<float> query, int skipRow = -1) => Familiarity(Nearest(query, FamiliarityNeighbours, skipRow));

    /// <summary>Familiarity from a search's result, most similar first, of at least <see cref="FamiliarityNeighbours"/>
    /// rows where the index has them (one search serves familiarity and nearest examples).</summary>
    public static float Familiarity((int Row, float Similarity)[] nearest) =>
        nearest.Length == 0 ? 0f : Math.Clamp(nearest.Take(FamiliarityNeighbours).Average(n => n.Similarity), 0f, 1f);

    /// <summary>The familiarity under which an input is less familiar than 95% of training examples: the 5th
    /// percentile of up to <paramref name="sample"/> rows, each scored against all the others (held out).</summary>
    public float FitThreshold(int sample = 1000, double percentile = 0.05, CancellationToken cancellation = default)
    {
        if (Count < 2) return 0f;
        var stride = Math.Max(1, Count / sample);
        var rows = Enumerable.Range(0, Count).Where(r => r % stride == 0).Take(sample).ToArray();
        var queries = new float[rows.Length * Dimension];
        for (var i = 0; i < rows.Length; i++) Vectors.AsSpan(rows[i] * Dimension, Dimension).CopyTo(queries.AsSpan(i * Dimension));
        var scores = Nearest(queries, rows.Length, FamiliarityNeighbours, rows, cancellation).Select(Familiarity).ToArray();
        Array.Sort(scores);
        return scores[(int)Math.Floor(percentile * (scores.Length - 1))];
    }

    private static void Centre(ReadOnlySpan<float> embedding, ReadOnlySpan<float> mean, Span<float> into)
    {
        TensorPrimitives.Subtract(embedding, mean, into);
        var norm = TensorPrimitives.Norm(into);
        if (norm > 0) TensorPrimitives.Divide(into, norm, into);
    }
}
