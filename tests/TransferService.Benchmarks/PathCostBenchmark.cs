using System.Globalization;
using System.Text;
using TransferService.Benchmarks.Bare;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Service;
using TransferService.Benchmarks.Workloads;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks;

/// <summary>What the service's own path costs per image, in CPU time: the same 224×224 images through a backbone that
/// costs next to nothing (<see cref="FreeImageBackbone"/>), bare and served, beside resnet18 bare and served. The
/// process's CPU time per item (service, in-process client and ONNX Runtime together) counts what each image cost
/// whether or not the cores were saturated (at one caller they are not, and items/s then says nothing of cost), so the
/// difference between the free backbone served and bare is the path's cost per image, and its share of resnet18's CPU
/// per image is what the path takes from the model at saturation. On a virtual machine without a steal clock, time
/// other tenants take is counted too: alternate runs to compare builds.</summary>
internal static class PathCostBenchmark
{
    private const int BareBatch = 32;

    public static async Task<string> RunAsync(BenchmarkOptions options)
    {
        FreeImageBackbone.Install(options.DataFolder, BareBatch);
        var settings = options.Settings.ToDictionary();
        settings.TryAdd("Backbones:Preload", $"{FreeImageBackbone.Name},resnet18");
        await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device, settings);
        var workload = new ResNet18Workload();
        var client = new EmbeddingService.EmbeddingServiceClient(service.Channel);
        var callers = options.Concurrency.Max();
        var rows = new List<(string Backbone, string Mode, LoopResult Result)>();
        async Task Measure(string backbone, string mode, Func<Task<LoopResult>> measure)
        {
            var result = await measure();
            Console.Error.WriteLine($"{backbone} {mode}: {result.ItemsPerSecond:F1} items/s, {result.CpuMsPerItem:F3} CPU ms per item");
            rows.Add((backbone, mode, result));
        }

        foreach (var (backbone, modelFile, output) in new[]
        {
            (FreeImageBackbone.Name, FreeImageBackbone.ModelFile(options.DataFolder), FreeImageBackbone.Output),
            ("resnet18", Path.Combine(options.DataFolder, "models", "resnet18", "model.onnx"), workload.Output),
        })
        {
            using (var bare = new BareModel(modelFile, output, options.Device))
            {
                var batches = workload.CreateBareBatches(BareBatch);
                await Measure(backbone, $"bare b{BareBatch}", () => ClosedLoop.RunAsync(1, options.Warmup, options.Duration,
                    s => Task.FromResult(bare.Run(batches[s % batches.Count]))));
                foreach (var batch in batches) batch.Dispose();
            }
            var single = GroupedRequests.Of(workload, 1, backbone);
            foreach (var count in new[] { 1, callers }.Distinct())
                await Measure(backbone, $"service c{count}", () => Serve(client, single, count, options));
            if (options.ItemsPerCall > 1)
                await Measure(backbone, $"service c{callers}, {options.ItemsPerCall} images per call",
                    () => Serve(client, GroupedRequests.Of(workload, options.ItemsPerCall, backbone), callers, options));
        }
        return Report(rows, callers, options);
    }

    private static Task<LoopResult> Serve(EmbeddingService.EmbeddingServiceClient client, List<EmbedRequest> requests,
        int callers, BenchmarkOptions options) =>
        ClosedLoop.RunAsync(callers, options.Warmup, options.Duration, async s =>
        {
            var request = requests[s % requests.Count];
            await client.EmbedAsync(request);
            return request.Inputs.Count;
        });

    private static string Report(List<(string Backbone, string Mode, LoopResult Result)> rows, int callers, BenchmarkOptions options)
    {
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, device {options.Device}, {options.Duration.TotalSeconds:0.#} s per row; CPU is the whole process's (service, in-process client, ONNX Runtime).")
            .AppendLine()
            .AppendLine("| backbone | row | items/s | p50 ms | CPU ms per image | cores busy |")
            .AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var (backbone, mode, result) in rows)
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {backbone} | {mode} | {result.ItemsPerSecond:F1} | {result.Latency.P50Ms:F2} | {result.CpuMsPerItem:F3} | {result.Cpu / result.Elapsed:F2} |");
        double Cpu(string backbone, string mode) => rows.Single(r => r.Backbone == backbone && r.Mode == mode).Result.CpuMsPerItem;
        var bareFree = Cpu(FreeImageBackbone.Name, $"bare b{BareBatch}");
        var model = Cpu("resnet18", $"bare b{BareBatch}");
        table.AppendLine()
            .AppendLine("| the path, per image (free backbone served minus bare) | CPU ms | share of resnet18 bare b32's CPU per image | cores per 1,000 images/s |")
            .AppendLine("|---|---:|---:|---:|");
        foreach (var mode in rows.Where(r => r.Backbone == FreeImageBackbone.Name && r.Mode.StartsWith("service", StringComparison.Ordinal)).Select(r => r.Mode))
        {
            var path = Cpu(FreeImageBackbone.Name, mode) - bareFree;
            table.AppendLine(CultureInfo.InvariantCulture, $"| {mode} | {path:F3} | {path / model:P1} | {path:F2} |");
        }
        return table.ToString().TrimEnd();
    }
}
