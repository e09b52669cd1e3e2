using TransferService.Benchmarks.Workloads;

namespace TransferService.Benchmarks.Measuring;

/// <summary>What <see cref="ModelBenchmark"/> measured for one model; the encoded workloads are kept for the decode rows.</summary>
internal sealed record ModelResults(IReadOnlyList<Measurement> Rows, PairedRatio? Paired, LatencyPairs? LowLoad,
    IReadOnlyList<EncodedImageWorkload> Encoded);
