using Grpc.Net.Client;
using SkiaSharp;
using TransferService.Benchmarks.Bare;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Workloads;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks;

/// <summary>The rows for one backbone: the bare session at batch 1 and at the service's max batch, then the
/// service at each concurrency, one item per call (for resnet18 also as encoded JPEG and PNG files, at one caller and the
/// highest concurrency); then interleaved rounds of bare and service at saturation, and of bare b1 and one caller.
/// Bare and service never run at the same time, so they never compete for the cores.</summary>
internal sealed class ModelBenchmark(BenchmarkOptions options, GrpcChannel channel)
{
    private static readonly int[] BareBatchSizes = [1, 32];
    private static readonly TimeSpan PairWarmup = TimeSpan.FromSeconds(0.5);

    public static readonly SKEncodedImageFormat[] EncodedFormats = [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png];

    public async Task<ModelResults> RunAsync(string model)
    {
        var folder = Path.Combine(options.DataFolder, "models", model);
        IWorkload workload = model == "minilm" ? new MiniLmWorkload(folder) : new ResNet18Workload();
        Console.Error.WriteLine($"{model}: {workload.Description}");
        var rows = new List<Measurement>();
        using var bare = new BareModel(Path.Combine(folder, "model.onnx"), workload.Output, options.Device);
        foreach (var batchSize in BareBatchSizes)
            rows.Add(Report(new Measurement(model, $"bare b{batchSize}", IsBare: true,
                await MeasureBareAsync(bare, workload, batchSize, options.Warmup, options.Duration))));
        var client = new EmbeddingService.EmbeddingServiceClient(channel);
        var requests = workload.CreateRequests();
        foreach (var callers in options.Concurrency)
            rows.Add(Report(new Measurement(model, $"service c{callers}", IsBare: false,
                await MeasureServiceAsync(client, requests, callers, options.Warmup, options.Duration))));
        var encoded = model == "resnet18" ? EncodedFormats.Select(f => new EncodedImageWorkload(f)).ToArray() : [];
        foreach (var images in encoded)
        {
            Console.Error.WriteLine($"{model}: {images.Description}");
            foreach (var callers in new[] { 1, options.Concurrency.Max() }.Distinct())
                rows.Add(Report(new Measurement(model, $"service c{callers} {images.Name}", IsBare: false,
                    await MeasureServiceAsync(client, images.CreateRequests(), callers, options.Warmup, options.Duration))));
        }
        if (options.Pairs == 0) return new ModelResults(rows, null, null, encoded);
        return new ModelResults(rows, await MeasurePairsAsync(model, bare, workload, client, requests),
            await MeasureLatencyPairsAsync(model, bare, workload, client, requests), encoded);
    }

    /// <summary>Rounds of bare b1 then one service caller: the single-call cost, free of the machine's drift.</summary>
    private async Task<LatencyPairs> MeasureLatencyPairsAsync(string model, BareModel bare, IWorkload workload,
        EmbeddingService.EmbeddingServiceClient client, IReadOnlyList<EmbedRequest> requests)
    {
        var rounds = new List<LatencyPair>();
        for (var round = 0; round < options.Pairs; round++)
        {
            var bareResult = await MeasureBareAsync(bare, workload, 1, PairWarmup, options.PairDuration);
            var serviceResult = await MeasureServiceAsync(client, requests, 1, PairWarmup, options.PairDuration);
            rounds.Add(new LatencyPair(bareResult.Latency.P50Ms, serviceResult.Latency.P50Ms, serviceResult.Latency.P99Ms,
                serviceResult.ItemsPerSecond / bareResult.ItemsPerSecond));
            Console.Error.WriteLine($"{model} low-load round {round + 1}: bare b1 p50 {bareResult.Latency.P50Ms:F2} ms, service c1 p50 {serviceResult.Latency.P50Ms:F2} ms, items/s ratio {rounds[^1].ItemsRatio:F2}");
        }
        return new LatencyPairs(model, rounds);
    }

    private async Task<PairedRatio> MeasurePairsAsync(string model, BareModel bare, IWorkload workload,
        EmbeddingService.EmbeddingServiceClient client, IReadOnlyList<EmbedRequest> requests)
    {
        var callers = options.Concurrency.Max();
        var batchSize = BareBatchSizes.Max();
        var ratios = new List<double>();
        for (var round = 0; round < options.Pairs; round++)
        {
            var bareResult = await MeasureBareAsync(bare, workload, batchSize, PairWarmup, options.PairDuration);
            var serviceResult = await MeasureServiceAsync(client, requests, callers, PairWarmup, options.PairDuration);
            ratios.Add(serviceResult.ItemsPerSecond / bareResult.ItemsPerSecond);
            Console.Error.WriteLine($"{model} round {round + 1}: bare b{batchSize} {bareResult.ItemsPerSecond:F1}, service c{callers} {serviceResult.ItemsPerSecond:F1} items/s, ratio {ratios[^1]:F2}");
        }
        return new PairedRatio(model, callers, batchSize, ratios);
    }

    private static Task<LoopResult> MeasureServiceAsync(EmbeddingService.EmbeddingServiceClient client,
        IReadOnlyList<EmbedRequest> requests, int callers, TimeSpan warmup, TimeSpan duration) =>
        ClosedLoop.RunAsync(callers, warmup, duration, async sequence =>
        {
            await client.EmbedAsync(requests[sequence % requests.Count]);
            return 1;
        });

    private static async Task<LoopResult> MeasureBareAsync(BareModel bare, IWorkload workload, int batchSize,
        TimeSpan warmup, TimeSpan duration)
    {
        var batches = workload.CreateBareBatches(batchSize);
        try
        {
            return await ClosedLoop.RunAsync(1, warmup, duration,
                sequence => Task.FromResult(bare.Run(batches[sequence % batches.Count])));
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }
    }

    /// <summary>Progress on stderr, so a long run shows signs of life while stdout keeps only the table.</summary>
    private static Measurement Report(Measurement row)
    {
        Console.Error.WriteLine($"{row.Model} {row.Mode}: {row.Result.ItemsPerSecond:F1} items/s over {row.Result.Latency.Calls} calls");
        return row;
    }
}
