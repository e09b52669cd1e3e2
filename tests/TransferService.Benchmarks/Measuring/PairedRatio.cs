namespace TransferService.Benchmarks.Measuring;

/// <summary>Service throughput over bare throughput, once per interleaved round.</summary>
internal sealed record PairedRatio(string Model, int Callers, int BareBatchSize, IReadOnlyList<double> Ratios)
{
    public double Median => Medians.Of(Ratios);
}
