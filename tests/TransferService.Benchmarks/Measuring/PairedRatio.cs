namespace TransferService.Benchmarks.Measuring;

/// <summary>Service throughput over bare throughput, once per interleaved round; where measured, also bare's CPU time
/// per item over the service's (the same ratio when both keep every core busy, but one that time taken by other
/// tenants of a shared machine does not move).</summary>
internal sealed record PairedRatio(string Model, int Callers, int BareBatchSize, IReadOnlyList<double> Ratios,
    IReadOnlyList<double>? CpuRatios = null)
{
    public double Median => Medians.Of(Ratios);

    public double? CpuMedian => CpuRatios is { Count: > 0 } cpu ? Medians.Of(cpu) : null;
}
