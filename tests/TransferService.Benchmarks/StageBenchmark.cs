using System.Text;
using TransferService.Benchmarks.Bare;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Service;
using TransferService.Benchmarks.Workloads;
using TransferService.Contracts.V1;
using TransferService.Core.Telemetry;

namespace TransferService.Benchmarks;

/// <summary>Where a call's time goes: bare b1, then the service at each concurrency with the service's own spans
/// recorded (<see cref="StageRecorder"/>), so the client's latency splits into the request as the server sees it
/// (body read, handler, answer written), preparing, queueing and the model run; what is left of the client's time
/// is the client and the transport.</summary>
internal static class StageBenchmark
{
    private static readonly string[] Stages = [StageRecorder.Request, TransferTelemetry.Preprocess, TransferTelemetry.QueueWait, TransferTelemetry.Inference];

    public static async Task<string> RunAsync(BenchmarkOptions options)
    {
        await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device, options.Settings.ToDictionary());
        var client = new EmbeddingService.EmbeddingServiceClient(service.Channel);
        var table = new StringBuilder("| model | row | client p50 ms | request p50 / p90 | preprocess p50 | queue wait p50 / p90 | inference p50 (mean batch of an item) |\n|---|---|---:|---:|---:|---:|---:|\n");
        foreach (var model in options.Models)
        {
            var folder = Path.Combine(options.DataFolder, "models", model);
            IWorkload workload = model == "minilm" ? new MiniLmWorkload(folder) : new ResNet18Workload();
            using (var bare = new BareModel(Path.Combine(folder, "model.onnx"), workload.Output, options.Device))
            {
                var batches = workload.CreateBareBatches(1);
                var result = await ClosedLoop.RunAsync(1, options.Warmup, options.Duration, sequence => Task.FromResult(bare.Run(batches[sequence % batches.Count])));
                foreach (var batch in batches) batch.Dispose();
                table.AppendLine($"| {model} | bare b1 | {result.Latency.P50Ms:F2} | | | | |");
            }
            var requests = workload.CreateRequests();
            foreach (var callers in options.Concurrency)
            {
                using var recorder = new StageRecorder();
                var warm = ClosedLoop.RunAsync(callers, TimeSpan.Zero, options.Warmup, Call);
                await warm;
                recorder.Clear();
                var measured = await ClosedLoop.RunAsync(callers, TimeSpan.Zero, options.Duration, Call);
                var stages = recorder.Summary();
                string Cell(string stage, bool p90) => stages.TryGetValue(stage, out var s) ? (p90 ? $"{s.P50:F2} / {s.P90:F2}" : $"{s.P50:F2}") : "–";
                var batch = stages.TryGetValue(TransferTelemetry.Inference, out var runs) ? runs.Batch : 0;
                table.AppendLine($"| {model} | service c{callers} | {measured.Latency.P50Ms:F2} | {Cell(Stages[0], true)} | {Cell(Stages[1], false)} | " +
                    $"{Cell(Stages[2], true)} | {Cell(Stages[3], false)} ({batch:F1}) |");
                Console.Error.WriteLine($"{model} c{callers}: {measured.ItemsPerSecond:F1} items/s");
            }

            async Task<int> Call(int sequence)
            {
                await client.EmbedAsync(requests[sequence % requests.Count]);
                return 1;
            }
        }
        return table.ToString();
    }
}
