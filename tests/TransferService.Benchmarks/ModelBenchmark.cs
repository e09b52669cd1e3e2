using Grpc.Net.Client;
using TransferService.Benchmarks.Bare;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Workloads;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks;

/// <summary>The rows for one backbone: the bare session at batch 1 and at the service's max batch, then the
/// service at each concurrency, one item per call. The bare session is disposed before the service rows,
/// so the two never compete for the cores.</summary>
internal sealed class ModelBenchmark(BenchmarkOptions options, GrpcChannel channel)
{
    private static readonly int[] BareBatchSizes = [1, 32];

    public async Task<IReadOnlyList<Measurement>> RunAsync(string model)
    {
        var folder = Path.Combine(options.DataFolder, "models", model);
        IWorkload workload = model == "minilm" ? new MiniLmWorkload(folder) : new ResNet18Workload();
        Console.Error.WriteLine($"{model}: {workload.Description}");
        var rows = new List<Measurement>();
        using (var bare = new BareModel(Path.Combine(folder, "model.onnx"), workload.Output, options.Device))
        {
            foreach (var batchSize in BareBatchSizes)
                rows.Add(Report(new Measurement(model, $"bare b{batchSize}", IsBare: true, await MeasureBareAsync(bare, workload, batchSize))));
        }
        var client = new EmbeddingService.EmbeddingServiceClient(channel);
        var requests = workload.CreateRequests();
        foreach (var callers in options.Concurrency)
        {
            var result = await ClosedLoop.RunAsync(callers, options.Warmup, options.Duration, async sequence =>
            {
                await client.EmbedAsync(requests[sequence % requests.Count]);
                return 1;
            });
            rows.Add(Report(new Measurement(model, $"service c{callers}", IsBare: false, result)));
        }
        return rows;
    }

    private async Task<LoopResult> MeasureBareAsync(BareModel bare, IWorkload workload, int batchSize)
    {
        var batches = workload.CreateBareBatches(batchSize);
        try
        {
            return await ClosedLoop.RunAsync(1, options.Warmup, options.Duration,
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
