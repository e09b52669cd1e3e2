using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class SimilaritySearchTests
{
    private static float[] RandomRows(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Every row's similarity to <paramref name="query"/>, in double precision, one by one.</summary>
    private static double[] Exact(float[] rows, int dimension, ReadOnlySpan<float> query)
    {
        var similarities = new double[rows.Length / dimension];
        for (var r = 0; r < similarities.Length; r++)
            for (var j = 0; j < dimension; j++) similarities[r] += (double)query[j] * rows[r * dimension + j];
        return similarities;
    }

    /// <summary>Odd dimensions leave a tail past the last whole vector; odd row counts a last row without a pair; query
    /// counts that are not a multiple of four leave a partial pass, and over 64 a second tile.</summary>
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(7, 3, 5, 2)]
    [InlineData(8, 129, 4, 5)]
    [InlineData(33, 257, 70, 20)]
    [InlineData(384, 1000, 130, 5)]
    [InlineData(13, 4, 3, 10)]
    public void Nearest_RandomRows_TheKMostSimilarByExactDotProduct(int dimension, int rowCount, int queryCount, int k)
    {
        var rows = RandomRows(rowCount, dimension, seed: dimension);
        var queries = RandomRows(queryCount, dimension, seed: dimension + 1);
        var skipRows = Enumerable.Range(0, queryCount).Select(q => q % 3 == 0 ? q % rowCount : -1).ToArray();

        var found = SimilaritySearch.Nearest(rows, dimension, queries, queryCount, k, skipRows, CancellationToken.None);

        Assert.Equal(queryCount, found.Length);
        for (var q = 0; q < queryCount; q++)
        {
            var exact = Exact(rows, dimension, queries.AsSpan(q * dimension, dimension));
            var expected = Enumerable.Range(0, rowCount).Where(r => r != skipRows[q]).Select(r => exact[r])
                .OrderByDescending(s => s).Take(k).ToArray();
            Assert.Equal(expected.Length, found[q].Length);
            Assert.Equal(found[q].Length, found[q].Select(n => n.Row).Distinct().Count());
            Assert.DoesNotContain(found[q], n => n.Row == skipRows[q]);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], found[q][i].Similarity, 1e-4);
                Assert.Equal(exact[found[q][i].Row], found[q][i].Similarity, 1e-4);
            }
        }
    }

    [Fact]
    public void Nearest_EqualSimilarities_EarlierRowFirstAndLaterOnesLeftOut()
    {
        // Rows 1, 2, 4 and 5 are the same vector: equally similar to any query.
        float[] same = [0.6f, 0.8f, 0f];
        float[] rows = [0, 0, 1, .. same, .. same, 1, 0, 0, .. same, .. same];

        var found = SimilaritySearch.Nearest(rows, 3, [0.6f, 0.8f, 0f], 1, 3, null, CancellationToken.None)[0];

        Assert.Equal([1, 2, 4], found.Select(n => n.Row));
    }

    /// <summary>A query's answer is the same bits whether it is searched alone (one query against four rows at a time,
    /// its rows split across cores: 32,001 rows of 512 are enough work for that) or in a tile of many queries (four
    /// queries against two rows at a time, the odd last row against four queries, over the whole index).</summary>
    [Fact]
    public void Nearest_QueryAloneOrInABatch_SameRowsAndSameBits()
    {
        const int dimension = 512;
        var rows = RandomRows(32_001, dimension, seed: 5);
        var queries = RandomRows(70, dimension, seed: 6);

        var batch = SimilaritySearch.Nearest(rows, dimension, queries, 70, 8, null, CancellationToken.None);

        foreach (var q in new[] { 0, 5, 66, 69 })
        {
            var alone = SimilaritySearch.Nearest(rows, dimension, queries.AsSpan(q * dimension, dimension).ToArray(), 1, 8, null, CancellationToken.None)[0];
            Assert.Equal(batch[q], alone);
        }
    }

    [Fact]
    public void Nearest_KOverRowsOrZero_AllRowsOrNone()
    {
        var rows = RandomRows(3, 4, seed: 1);
        var queries = RandomRows(2, 4, seed: 2);

        var all = SimilaritySearch.Nearest(rows, 4, queries, 2, 10, [1, -1], CancellationToken.None);
        var none = SimilaritySearch.Nearest(rows, 4, queries, 2, 0, null, CancellationToken.None);

        Assert.Equal([2, 3], all.Select(f => f.Length));
        Assert.All(none, Assert.Empty);
    }

    [Fact]
    public void Nearest_CancelledToken_StopsWithOperationCanceled()
    {
        var rows = RandomRows(1000, 16, seed: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            SimilaritySearch.Nearest(rows, 16, RandomRows(4, 16, seed: 2), 4, 5, null, cancelled.Token));
    }
}
