using System.Text;
using Grpc.Health.V1;
using TransferService.Benchmarks.Bare;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Service;
using TransferService.Benchmarks.Workloads;
using TransferService.Contracts.V1;
using TransferService.Core.Telemetry;

namespace TransferService.Benchmarks;

/// <summary>Where a call's time goes: bare b1, then the service at each concurrency with the service's own spans
/// recorded (<see cref="StageRecorder"/>), so the client's latency splits into the request as the server sees it
/// (body read, handler, answer written), what the server does before the first stage, preparing, queueing, the model
/// run and what it does after; what is left of the client's time is the client and the transport. The same rows for
/// images through a backbone that costs next to nothing (<see cref="FreeImageBackbone"/>) show the path alone, and a
/// last row the smallest round trip the server answers (a health check), the floor of any call.</summary>
internal static class StageBenchmark
{
    private const int MaxBatch = 32;

    public static async Task<string> RunAsync(BenchmarkOptions options)
    {
        var models = options.Models.Contains("resnet18") ? options.Models.Append(FreeImageBackbone.Name).ToArray() : options.Models;
        FreeImageBackbone.Install(options.DataFolder, MaxBatch);
        var settings = options.Settings.ToDictionary();
        settings.TryAdd("Backbones:Preload", string.Join(',', models));
        await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device, settings);
        var client = new EmbeddingService.EmbeddingServiceClient(service.Channel);
        var table = new StringBuilder("| model | row | client p50 ms | request p50 / p90 | before the stages p50 | preprocess p50 | " +
            "queue wait p50 / p90 | inference p50 (mean batch of an item) | after the stages p50 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var model in models)
        {
            var free = model == FreeImageBackbone.Name;
            var folder = Path.Combine(options.DataFolder, "models", model);
            IWorkload workload = model == "minilm" ? new MiniLmWorkload(folder) : new ResNet18Workload();
            using (var bare = new BareModel(Path.Combine(folder, "model.onnx"), free ? FreeImageBackbone.Output : workload.Output, options.Device))
            {
                var batches = workload.CreateBareBatches(1);
                var result = await ClosedLoop.RunAsync(1, options.Warmup, options.Duration, sequence => Task.FromResult(bare.Run(batches[sequence % batches.Count])));
                foreach (var batch in batches) batch.Dispose();
                table.AppendLine($"| {model} | bare b1 | {result.Latency.P50Ms:F2} | | | | | | |");
            }
            var requests = GroupedRequests.Of(workload, 1, model);
            foreach (var callers in options.Concurrency)
            {
                using var recorder = new StageRecorder();
                await ClosedLoop.RunAsync(callers, TimeSpan.Zero, options.Warmup, Call);
                recorder.Clear();
                var measured = await ClosedLoop.RunAsync(callers, TimeSpan.Zero, options.Duration, Call);
                var stages = recorder.Summary();
                string Cell(string stage, bool p90 = false) => stages.TryGetValue(stage, out var s) ? (p90 ? $"{s.P50:F2} / {s.P90:F2}" : $"{s.P50:F2}") : "–";
                var batch = stages.TryGetValue(TransferTelemetry.Inference, out var runs) ? runs.Batch : 0;
                table.AppendLine($"| {model} | service c{callers} | {measured.Latency.P50Ms:F2} | {Cell(StageRecorder.Request, p90: true)} | " +
                    $"{Cell(StageRecorder.Before)} | {Cell(TransferTelemetry.Preprocess)} | {Cell(TransferTelemetry.QueueWait, p90: true)} | " +
                    $"{Cell(TransferTelemetry.Inference)} ({batch:F1}) | {Cell(StageRecorder.After)} |");
                Console.Error.WriteLine($"{model} c{callers}: {measured.ItemsPerSecond:F1} items/s");
            }

            async Task<int> Call(int sequence)
            {
                await client.EmbedAsync(requests[sequence % requests.Count]);
                return 1;
            }
        }
        var health = new Health.HealthClient(service.Channel);
        var floor = await ClosedLoop.RunAsync(1, options.Warmup, options.Duration, async _ =>
        {
            await health.CheckAsync(new HealthCheckRequest());
            return 1;
        });
        table.AppendLine($"| (gRPC floor) | health check c1 | {floor.Latency.P50Ms:F2} | | | | | | |");
        return table.ToString();
    }
}
