using System.Diagnostics;
using System.Globalization;
using System.Text;
using TransferService.Core.Heads;
using TransferService.TrainingBenchmarks.Measuring;

namespace TransferService.TrainingBenchmarks.Neighbours;

/// <summary>The neighbour index's search (familiarity and nearest examples) against the one-by-one search it replaced,
/// on seeded random rows (a search's cost depends on the sizes, not the values), in interleaved rounds: fitting the
/// familiarity threshold (1,000 held-out rows, as every TrainHead does) and a Classify's search for 1 and 32 inputs.</summary>
internal static class NeighbourSearchBenchmark
{
    private static readonly (int Rows, int Dimension)[] Sizes = [(2_000, 512), (20_000, 512), (100_000, 768)];
    private static readonly (string Name, int Queries, bool HeldOut)[] Operations =
        [("fit threshold (1,000 held-out rows)", 1_000, true), ("Classify, 1 input", 1, false), ("Classify, 32 inputs", 32, false)];

    public static string Run(int rounds)
    {
        var table = new StringBuilder()
            .AppendLine("| index rows × dimension | search | one by one ms | batched ms | speed-up | same rows |")
            .AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var (rows, dimension) in Sizes)
        {
            var random = new Random(rows);
            var features = Enumerable.Range(0, rows * dimension).Select(_ => (float)random.NextDouble()).ToArray();
            var index = NeighbourIndex.Build("bench", features, new int[rows], dimension);
            foreach (var (name, queryCount, heldOut) in Operations)
            {
                var stride = Math.Max(1, rows / queryCount);
                var queryRows = Enumerable.Range(0, queryCount).Select(q => q * stride % rows).ToArray();
                var queries = index.Queries(queryRows.SelectMany(r => features.AsSpan(r * dimension, dimension).ToArray()).ToArray(), queryCount);
                var skip = heldOut ? queryRows : null;
                var k = NeighbourIndex.FamiliarityNeighbours;
                var (baseline, batched) = (new List<double>(), new List<double>());
                (int, float)[][] expected = [], found = [];
                for (var round = 0; round <= rounds; round++) // round 0 warms both up and is not counted
                {
                    var seconds = Time(() => expected = OneByOneSearch.Nearest(index.Vectors, dimension, queries, queryCount, k, skip));
                    if (round > 0) baseline.Add(seconds);
                    seconds = Time(() => found = index.Nearest(queries, queryCount, k, skip));
                    if (round > 0) batched.Add(seconds);
                }
                var same = Enumerable.Range(0, queryCount).Count(q => expected[q].Select(n => n.Item1).SequenceEqual(found[q].Select(n => n.Item1)));
                var (b, n) = (Median.Of(baseline), Median.Of(batched));
                table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {rows:N0} × {dimension} | {name} | {b * 1000:F2} | {n * 1000:F2} | {b / n:F2}× | {same} of {queryCount} |"));
                Console.Error.WriteLine($"{rows} × {dimension}, {name}: {b * 1000:F2} ms → {n * 1000:F2} ms");
            }
        }
        return table.ToString();
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}
