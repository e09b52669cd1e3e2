using System.Globalization;
using System.Text;
using TransferService.Benchmarks.Measuring;

namespace TransferService.Benchmarks.Reporting;

/// <summary>The results as a markdown table; each row's ratio is against the best bare row of its model.</summary>
internal static class ResultTable
{
    public static string Describe(BenchmarkOptions options) =>
        $"{Environment.ProcessorCount} cores, device {options.Device}, {options.Duration.TotalSeconds:0.#} s per row " +
        $"after {options.Warmup.TotalSeconds:0.#} s warm-up, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. " +
        "Latency is per call: one item for the service, one batch for bare bN.";

    public static string ToMarkdown(IReadOnlyList<Measurement> rows)
    {
        var bestBare = rows.Where(r => r.IsBare).GroupBy(r => r.Model)
            .ToDictionary(g => g.Key, g => g.Max(r => r.Result.ItemsPerSecond));
        var table = new StringBuilder()
            .AppendLine("| model | mode | items/s | p50 ms | p99 ms | ratio vs best bare |")
            .AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            // Rows with no bare row of their model (the latency rows of the extraction mode) have no ratio.
            var ratio = bestBare.TryGetValue(row.Model, out var best) ? (row.Result.ItemsPerSecond / best).ToString("F2", CultureInfo.InvariantCulture) : "—";
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Model} | {row.Mode} | {row.Result.ItemsPerSecond:F1} | {row.Result.Latency.P50Ms:F1} | {row.Result.Latency.P99Ms:F1} | {ratio} |");
        }
        return table.ToString().TrimEnd();
    }

    /// <summary>The ratio at saturation, from rounds that alternate bare and service.</summary>
    public static string ToMarkdown(IReadOnlyList<PairedRatio> paired, BenchmarkOptions options)
    {
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Interleaved rounds, {options.PairDuration.TotalSeconds:0.#} s each half:")
            .AppendLine()
            .AppendLine("| model | rounds | service vs bare | median ratio | min | max |")
            .AppendLine("|---|---:|---|---:|---:|---:|");
        foreach (var p in paired)
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Model} | {p.Ratios.Count} | c{p.Callers} / b{p.BareBatchSize} | {p.Median:F2} | {p.Ratios.Min():F2} | {p.Ratios.Max():F2} |");
        return table.ToString().TrimEnd();
    }

    /// <summary>The single-call cost, from rounds that alternate bare b1 and one service caller.</summary>
    public static string ToMarkdown(IReadOnlyList<LatencyPairs> pairs, BenchmarkOptions options)
    {
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Low load, interleaved rounds of bare b1 and one service caller, {options.PairDuration.TotalSeconds:0.#} s each half (medians over rounds):")
            .AppendLine()
            .AppendLine("| model | rounds | bare b1 p50 ms | service c1 p50 ms | service c1 p99 ms | c1 p50 − b1 p50 ms | c1 items/s vs b1 |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var p in pairs)
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Model} | {p.Rounds.Count} | {p.BareP50Ms:F1} | {p.ServiceP50Ms:F1} | {p.ServiceP99Ms:F1} | {p.ExtraP50Ms:F2} | {p.ItemsRatio:F2} |");
        return table.ToString().TrimEnd();
    }

    /// <summary>Decode + resize throughput per core against the model's images/s.</summary>
    public static string ToMarkdown(IReadOnlyList<DecodeThroughput> rows)
    {
        var table = new StringBuilder()
            .AppendLine("| format | average KB | decode+resize images/s, 1 core | on all cores | model images/s (best bare) | cores to keep up with the model |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Format} | {r.AverageKb:F0} | {r.PerCore:F1} | {r.AllCores:F1} ({r.Cores}) | {r.ModelImagesPerSecond:F1} | {r.CoresToKeepUp:F2} |");
        return table.ToString().TrimEnd();
    }

    /// <summary>Extraction mode: the medians over rounds of the job's and EmbedStream's rate against bare b32.</summary>
    public static string ToMarkdown(IReadOnlyList<ExtractionThroughput> results)
    {
        var table = new StringBuilder()
            .AppendLine("| model | rows | rounds | bare b32 items/s | EmbedStream items/s | extraction job items/s | EmbedStream / bare | job / bare |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Model} | {r.Items} | {r.Rounds.Count} | {r.Rounds.Average(x => x.Bare):F1} | {r.Rounds.Average(x => x.Stream):F1} | {r.Rounds.Average(x => x.Job):F1} | {r.MedianStreamRatio:F2} | {r.MedianJobRatio:F2} |");
        return table.ToString().TrimEnd();
    }
}
