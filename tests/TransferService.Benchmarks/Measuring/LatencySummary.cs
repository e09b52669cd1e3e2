namespace TransferService.Benchmarks.Measuring;

/// <summary>Per-call latency percentiles, in milliseconds (nearest rank).</summary>
internal sealed record LatencySummary(int Calls, double P50Ms, double P99Ms)
{
    public static LatencySummary Of(IEnumerable<double> latenciesMs)
    {
        var sorted = latenciesMs.Order().ToArray();
        return new LatencySummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99));
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
