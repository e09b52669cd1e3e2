using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TransferService.Core.Heads;

/// <summary>Exact top-k search by dot product, for many queries at once, over row-major rows. One query against
/// every row reads the whole index from memory for a few multiply-adds per value, so a lone search runs at the
/// memory's speed; here queries go in tiles of <see cref="QueriesPerTile"/> that stay in cache while the index
/// streams past in blocks of <see cref="RowsPerBlock"/> rows, and the kernel scores four queries against two rows
/// per pass over the dimension, each row value loaded once for four fused multiply-adds (queries short of four go
/// one against four rows). Tiles (and, for few queries over many rows, ranges of rows) run in parallel. Every
/// similarity is the same sum in the same order whatever the kernel or tiling, and equal similarities keep the
/// earlier row first, so results do not depend on the number of queries or cores.</summary>
internal static class SimilaritySearch
{
    private const int QueriesPerTile = 64;
    private const int QueriesPerPass = 4;
    private const int RowsPerBlock = 128;
    /// <summary>Fewest multiply-adds for a range of rows to be worth a parallel task of its own.</summary>
    private const long MinWorkPerTask = 8_000_000;

    /// <summary>The <paramref name="k"/> most similar rows for each query, most similar first.</summary>
    /// <param name="rows">[rowCount × dimension].</param>
    /// <param name="queries">[queryCount × dimension].</param>
    /// <param name="skipRows">Per query, a row left out of its search (a row scored as if held out), or -1; null: none.</param>
    public static (int Row, float Similarity)[][] Nearest(float[] rows, int dimension, float[] queries, int queryCount, int k,
        int[]? skipRows, CancellationToken cancellation)
    {
        var rowCount = rows.Length / dimension;
        k = Math.Min(k, rowCount);
        if (k <= 0 || queryCount == 0) return Enumerable.Range(0, queryCount).Select(_ => Array.Empty<(int, float)>()).ToArray();
        var tiles = (queryCount + QueriesPerTile - 1) / QueriesPerTile;
        var work = (long)rowCount * dimension * Math.Min(queryCount, QueriesPerTile);
        var ranges = tiles >= Environment.ProcessorCount ? 1
            : (int)Math.Clamp(work / MinWorkPerTask, 1, Math.Max(1, Environment.ProcessorCount / tiles));
        var rowsPerRange = (rowCount + ranges - 1) / ranges;
        var found = Enumerable.Range(0, ranges).Select(_ => new TopK[queryCount]).ToArray();
        void SearchTile(int task)
        {
            var (tile, range) = (task / ranges, task % ranges);
            var first = tile * QueriesPerTile;
            var count = Math.Min(QueriesPerTile, queryCount - first);
            var start = range * rowsPerRange;
            Search(rows, dimension, start, Math.Min(rowCount, start + rowsPerRange), queries, first, count, k, skipRows, cancellation)
                .CopyTo(found[range], first);
        }
        // One tile runs on the caller's thread: a lone query over a small index costs less than a hop to the pool.
        if (tiles * ranges == 1) SearchTile(0);
        else Parallel.For(0, tiles * ranges, new ParallelOptions { CancellationToken = cancellation }, SearchTile);
        return Enumerable.Range(0, queryCount).Select(q => Merge(found, q, k)).ToArray();
    }

    private static (int Row, float Similarity)[] Merge(TopK[][] found, int query, int k) => found.Length == 1
        ? found[0][query].ToArray()
        : found.SelectMany(range => range[query].ToArray())
            .OrderByDescending(n => n.Similarity).ThenBy(n => n.Row).Take(k).ToArray();

    /// <summary>Searches rows [start, end) for queries [first, first + count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TopK[] Search(float[] rows, int dimension, int start, int end, float[] queries, int first, int count, int k,
        int[]? skipRows, CancellationToken cancellation)
    {
        var lists = Enumerable.Range(0, count).Select(_ => new TopK(k)).ToArray();
        var inPasses = count / QueriesPerPass * QueriesPerPass;
        Span<float> scores = stackalloc float[2 * QueriesPerPass];
        void Offer(int query, int row, float similarity)
        {
            if (row != (skipRows?[first + query] ?? -1)) lists[query].Offer(row, similarity);
        }
        for (var block = start; block < end; block += RowsPerBlock)
        {
            cancellation.ThrowIfCancellationRequested();
            var blockEnd = Math.Min(end, block + RowsPerBlock);
            for (var pass = 0; pass < inPasses; pass += QueriesPerPass)
            {
                ref var passQueries = ref queries[(first + pass) * dimension];
                var row = block;
                for (; row + 1 < blockEnd; row += 2)
                {
                    Score4x2(ref passQueries, ref rows[row * dimension], dimension, scores);
                    for (var q = 0; q < QueriesPerPass; q++)
                    {
                        Offer(pass + q, row, scores[q]);
                        Offer(pass + q, row + 1, scores[QueriesPerPass + q]);
                    }
                }
                if (row < blockEnd)
                {
                    Score1x4(ref rows[row * dimension], ref passQueries, dimension, scores);
                    for (var q = 0; q < QueriesPerPass; q++) Offer(pass + q, row, scores[q]);
                }
            }
            // Queries short of a whole pass go one at a time, four rows per pass over the dimension.
            for (var q = inPasses; q < count; q++)
            {
                ref var query = ref queries[(first + q) * dimension];
                var row = block;
                for (; row + 3 < blockEnd; row += 4)
                {
                    Score1x4(ref query, ref rows[row * dimension], dimension, scores);
                    for (var r = 0; r < 4; r++) Offer(q, row + r, scores[r]);
                }
                for (; row < blockEnd; row++) Offer(q, row, Score1x1(ref query, ref rows[row * dimension], dimension));
            }
        }
        return lists;
    }

    /// <summary>Four queries (consecutive rows at <paramref name="queries"/>) against two rows: scores[0..3] for the first
    /// row, scores[4..7] for the second.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Score4x2(ref float queries, ref float rows, int dimension, Span<float> scores)
    {
        var d = (nuint)dimension;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        nuint j = 0;
        for (; j + (nuint)Vector<float>.Count <= d; j += (nuint)Vector<float>.Count)
        {
            var first = Vector.LoadUnsafe(ref rows, j);
            var second = Vector.LoadUnsafe(ref rows, d + j);
            var q0 = Vector.LoadUnsafe(ref queries, j);
            var q1 = Vector.LoadUnsafe(ref queries, d + j);
            var q2 = Vector.LoadUnsafe(ref queries, 2 * d + j);
            var q3 = Vector.LoadUnsafe(ref queries, 3 * d + j);
            a0 = Vector.FusedMultiplyAdd(q0, first, a0);
            a1 = Vector.FusedMultiplyAdd(q1, first, a1);
            a2 = Vector.FusedMultiplyAdd(q2, first, a2);
            a3 = Vector.FusedMultiplyAdd(q3, first, a3);
            b0 = Vector.FusedMultiplyAdd(q0, second, b0);
            b1 = Vector.FusedMultiplyAdd(q1, second, b1);
            b2 = Vector.FusedMultiplyAdd(q2, second, b2);
            b3 = Vector.FusedMultiplyAdd(q3, second, b3);
        }
        scores[0] = Finish(a0, ref queries, ref rows, j, d);
        scores[1] = Finish(a1, ref Unsafe.Add(ref queries, d), ref rows, j, d);
        scores[2] = Finish(a2, ref Unsafe.Add(ref queries, 2 * d), ref rows, j, d);
        scores[3] = Finish(a3, ref Unsafe.Add(ref queries, 3 * d), ref rows, j, d);
        scores[4] = Finish(b0, ref queries, ref Unsafe.Add(ref rows, d), j, d);
        scores[5] = Finish(b1, ref Unsafe.Add(ref queries, d), ref Unsafe.Add(ref rows, d), j, d);
        scores[6] = Finish(b2, ref Unsafe.Add(ref queries, 2 * d), ref Unsafe.Add(ref rows, d), j, d);
        scores[7] = Finish(b3, ref Unsafe.Add(ref queries, 3 * d), ref Unsafe.Add(ref rows, d), j, d);
    }

    /// <summary>One vector against four consecutive ones (a query against four rows, or a row against a pass of four
    /// queries): the same sums as <see cref="Score4x2"/>, since a product does not depend on its operands' order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Score1x4(ref float one, ref float four, int dimension, Span<float> scores)
    {
        var d = (nuint)dimension;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        nuint j = 0;
        for (; j + (nuint)Vector<float>.Count <= d; j += (nuint)Vector<float>.Count)
        {
            var values = Vector.LoadUnsafe(ref one, j);
            a0 = Vector.FusedMultiplyAdd(values, Vector.LoadUnsafe(ref four, j), a0);
            a1 = Vector.FusedMultiplyAdd(values, Vector.LoadUnsafe(ref four, d + j), a1);
            a2 = Vector.FusedMultiplyAdd(values, Vector.LoadUnsafe(ref four, 2 * d + j), a2);
            a3 = Vector.FusedMultiplyAdd(values, Vector.LoadUnsafe(ref four, 3 * d + j), a3);
        }
        scores[0] = Finish(a0, ref one, ref four, j, d);
        scores[1] = Finish(a1, ref one, ref Unsafe.Add(ref four, d), j, d);
        scores[2] = Finish(a2, ref one, ref Unsafe.Add(ref four, 2 * d), j, d);
        scores[3] = Finish(a3, ref one, ref Unsafe.Add(ref four, 3 * d), j, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Score1x1(ref float query, ref float row, int dimension)
    {
        var d = (nuint)dimension;
        Vector<float> sum = default;
        nuint j = 0;
        for (; j + (nuint)Vector<float>.Count <= d; j += (nuint)Vector<float>.Count)
            sum = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref query, j), Vector.LoadUnsafe(ref row, j), sum);
        return Finish(sum, ref query, ref row, j, d);
    }

    /// <summary>A vector accumulator's lanes summed, plus the dimensions past the last whole vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector<float> accumulator, ref float query, ref float row, nuint from, nuint dimension)
    {
        var sum = Vector.Sum(accumulator);
        for (var j = from; j < dimension; j++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref query, j), Unsafe.Add(ref row, j), sum);
        return sum;
    }

    /// <summary>The best rows offered so far, most similar first; a row no better than the k-th is refused, so of equal
    /// similarities the earlier row stays.</summary>
    private sealed class TopK(int k)
    {
        private readonly (int Row, float Similarity)[] _best = new (int, float)[k];
        private int _filled;

        public void Offer(int row, float similarity)
        {
            if (_filled == _best.Length && similarity <= _best[^1].Similarity) return;
            var at = _filled < _best.Length ? _filled++ : _best.Length - 1;
            while (at > 0 && _best[at - 1].Similarity < similarity)
            {
                _best[at] = _best[at - 1];
                at--;
            }
            _best[at] = (row, similarity);
        }

        public (int Row, float Similarity)[] ToArray() => _best[.._filled];
    }
}
