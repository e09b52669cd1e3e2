using System.Globalization;
using System.Text.Json.Nodes;
using TransferService.Benchmarks.Bare;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Service;
using TransferService.Benchmarks.Workloads;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks;

/// <summary>For a device (tools/gpu/measure.sh runs it on cuda:0): a bare session with IOBinding at --device-batch items
/// per run, then the service on the same device in each data-path variant — in-graph fp32, host path fp32, in-graph
/// fp16, in-graph fp32 with overlapped runs — with callers sending --items-per-call inputs per Embed. Each variant is
/// a copy of the built-in backbone's folder with its manifest's maxBatchSize (and precision) changed, so the service
/// batches as large as the bare run. items/s of each and the ratio to bare.</summary>
internal static class DeviceBenchmark
{
    private sealed record Variant(string Label, string Suffix, string DataPath, string? Precision, int ItemsPerRun);

    private static readonly Variant[] Variants =
    [
        new("service in-graph fp32", "-b", "Graph", null, 0),
        new("service host path fp32", "-b", "Host", null, 0),
        new("service in-graph fp16", "-fp16", "Graph", "fp16", 0),
        new("service in-graph fp32, overlapped runs", "-b", "Graph", null, 4),
    ];

    public static async Task<string> RunAsync(BenchmarkOptions options)
    {
        var rows = new List<string>
        {
            $"{options.Device}, device batch {options.DeviceBatch}, {options.Concurrency.Max()} callers x {options.ItemsPerCall} items per Embed, {options.Duration.TotalSeconds:0} s per row",
            "",
            "| model | row | items/s | ratio vs bare |",
            "|---|---|---:|---:|",
        };
        foreach (var model in options.Models)
        {
            var folder = Path.Combine(options.DataFolder, "models", model);
            // Installs the built-ins on a first run, so the folders copied below exist.
            await (await InProcessService.StartAsync(options.DataFolder, "cpu", new Dictionary<string, string?> { ["Backbones:Preload"] = "" })).DisposeAsync();
            IWorkload workload = model == "minilm" ? new MiniLmWorkload(folder) : new ResNet18Workload();
            double bare;
            using (var bound = new BoundBareModel(Path.Combine(folder, "model.onnx"), workload.Output, options.Device))
            {
                var batches = workload.CreateBareBatches(options.DeviceBatch);
                bare = (await ClosedLoop.RunAsync(1, options.Warmup, options.Duration, s => Task.FromResult(bound.Run(batches[s % batches.Count])))).ItemsPerSecond;
                foreach (var batch in batches) batch.Dispose();
            }
            rows.Add(Row(model, "bare IOBinding fp32", bare, bare));
            var requests = Requests(workload, options.ItemsPerCall);
            var probes = new Dictionary<string, float[]>();
            foreach (var variant in Variants)
            {
                var name = CopyVariant(folder, model + variant.Suffix, options.DeviceBatch, variant.Precision);
                await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device, new Dictionary<string, string?>
                {
                    ["Backbones:Preload"] = name,
                    ["Lanes:DataPath"] = variant.DataPath,
                    ["Lanes:ItemsPerRun"] = (variant.ItemsPerRun == 0 ? 0 : options.DeviceBatch / variant.ItemsPerRun).ToString(CultureInfo.InvariantCulture),
                });
                var client = new EmbeddingService.EmbeddingServiceClient(service.Channel);
                var result = await ClosedLoop.RunAsync(options.Concurrency.Max(), options.Warmup, options.Duration, async s =>
                {
                    var request = requests[s % requests.Count].Clone();
                    request.Backbone = name;
                    await client.EmbedAsync(request);
                    return request.Inputs.Count;
                });
                rows.Add(Row(model, variant.Label, result.ItemsPerSecond, bare));
                var probe = requests[0].Clone();
                probe.Backbone = name;
                probes[variant.Label] = (await client.EmbedAsync(probe)).Embeddings.ToArray();
            }
            var fp32 = probes[Variants[0].Label];
            rows.Add($"| {model} | fp16 vs fp32 on the device: lowest cosine over {requests[0].Inputs.Count} inputs | {Drift.LowestCosine(probes[Variants[2].Label], fp32, requests[0].Inputs.Count):F6} | |");
            rows.Add($"| {model} | host path vs in-graph on the device: highest relative error | {Drift.HighestRelativeError(probes[Variants[1].Label], fp32, requests[0].Inputs.Count):E2} | |");
        }
        return string.Join(Environment.NewLine, rows);
    }

    private static string Row(string model, string label, double itemsPerSecond, double bare) =>
        string.Create(CultureInfo.InvariantCulture, $"| {model} | {label} | {itemsPerSecond:F0} | {itemsPerSecond / bare:F2} |");

    /// <summary>The workload's one-item requests merged into requests of <paramref name="itemsPerCall"/> items.</summary>
    private static List<EmbedRequest> Requests(IWorkload workload, int itemsPerCall)
    {
        var inputs = workload.CreateRequests().SelectMany(r => r.Inputs).ToArray();
        return Enumerable.Range(0, inputs.Length).Select(first => new EmbedRequest
        {
            Inputs = { Enumerable.Range(0, itemsPerCall).Select(i => inputs[(first + i) % inputs.Length]) },
        }).ToList();
    }

    /// <summary>A copy of the installed backbone under another name, batching up to <paramref name="maxBatch"/>.</summary>
    private static string CopyVariant(string folder, string name, int maxBatch, string? precision)
    {
        var target = Path.Combine(Path.GetDirectoryName(folder)!, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(folder).Where(f => Path.GetFileName(f) != "backbone.json"))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "backbone.json")))!.AsObject();
        manifest["name"] = name;
        manifest["maxBatchSize"] = maxBatch;
        if (precision is not null) manifest["precision"] = precision;
        File.WriteAllText(Path.Combine(target, "backbone.json"), manifest.ToJsonString());
        return name;
    }
}
