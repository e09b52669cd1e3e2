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
    /// <param name="Settings">Service settings of the variant's own.</param>
    /// <param name="ImagesOnly">Concerns convolutions (cuDNN's search, the sessions per batch size): not run for text.</param>
    private sealed record Variant(string Label, string Suffix, string DataPath, string? Precision, int ItemsPerRun,
        bool ImagesOnly = false, params (string Key, string Value)[] Settings);

    private static readonly Variant[] Variants =
    [
        new("service in-graph fp32", "-b", "Graph", null, 0),
        new("service host path fp32", "-b", "Host", null, 0),
        new("service in-graph fp16", "-fp16", "Graph", "fp16", 0),
        new("service in-graph fp32, overlapped runs", "-b", "Graph", null, 4),
        new("service in-graph fp32, cuDNN algorithm by heuristic", "-b", "Graph", null, 0, true, ("Lanes:Cuda:cudnn_conv_algo_search", "HEURISTIC")),
        new("service in-graph fp32, one session for every batch size", "-b", "Graph", null, 0, true, ("Lanes:SessionPerBatchSize", "false")),
        new("service in-graph fp16, one session for every batch size", "-fp16", "Graph", "fp16", 0, true, ("Lanes:SessionPerBatchSize", "false")),
        // ONNX Runtime's CPU thread pool (every core by default) does little on a CUDA session but spin and hand off;
        // the host's cores are what feeds the device.
        new("service in-graph fp32, one CPU thread per session", "-b", "Graph", null, 0, false, ("Lanes:CpuThreads", "1")),
    ];

    /// <summary>Runs every row, printing each as it is measured (a run cut short keeps what it measured); a variant
    /// that fails prints its error as its row and the next one runs.</summary>
    public static async Task<string> RunAsync(BenchmarkOptions options)
    {
        var rows = new PrintedRows
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
            var modelFile = Path.Combine(folder, "model.onnx");
            var batches = workload.CreateBareBatches(options.DeviceBatch);
            double bare;
            using (var bound = new BoundBareModel(modelFile, workload.Output, options.Device))
                bare = await BareItemsPerSecondAsync(bound, batches, options);
            rows.Add(Row(model, "bare IOBinding fp32, host inputs and output", bare, bare));
            if (options.Device.StartsWith("cuda:", StringComparison.Ordinal))
                await rows.TryAsync(model, "bare IOBinding fp32, inputs and output in device memory", async () =>
                {
                    using var copier = new DeviceCopier(int.Parse(options.Device[5..], CultureInfo.InvariantCulture));
                    var resident = batches.Select(b => new BareBatch(b.Size, b.Names.Zip(b.Values.Select(copier.ToDevice)).ToDictionary())).ToList();
                    using var bound = new BoundBareModel(modelFile, workload.Output, options.Device, copier.Device);
                    var itemsPerSecond = await BareItemsPerSecondAsync(bound, resident, options);
                    foreach (var batch in resident) batch.Dispose();
                    return Row(model, "bare IOBinding fp32, inputs and output in device memory", itemsPerSecond, bare);
                });
            foreach (var batch in batches) batch.Dispose();
            var probes = new Dictionary<string, float[]>();
            foreach (var variant in Variants.Where(v => !v.ImagesOnly || workload is not MiniLmWorkload))
                await rows.TryAsync(model, variant.Label, async () =>
            {
                var name = CopyVariant(folder, model + variant.Suffix, options.DeviceBatch, variant.Precision);
                var requests = GroupedRequests.Of(workload, options.ItemsPerCall, name);
                var starting = System.Diagnostics.Stopwatch.StartNew();
                var settings = new Dictionary<string, string?>
                {
                    ["Backbones:Preload"] = name,
                    ["Lanes:DataPath"] = variant.DataPath,
                    ["Lanes:ItemsPerRun"] = (variant.ItemsPerRun == 0 ? 0 : options.DeviceBatch / variant.ItemsPerRun).ToString(CultureInfo.InvariantCulture),
                };
                foreach (var (key, value) in options.Settings.Concat(variant.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))))
                    settings[key] = value;
                await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device, settings);
                var startSeconds = starting.Elapsed.TotalSeconds;
                var client = new EmbeddingService.EmbeddingServiceClient(service.Channel);
                var result = await ClosedLoop.RunAsync(options.Concurrency.Max(), options.Warmup, options.Duration, async s =>
                {
                    await client.EmbedAsync(requests[s % requests.Count]);
                    return options.ItemsPerCall;
                });
                probes[variant.Label] = (await client.EmbedAsync(requests[0])).Embeddings.ToArray();
                return Row(model, $"{variant.Label} (loaded and warmed in {startSeconds:0.0} s)", result.ItemsPerSecond, bare);
            });
            var count = options.ItemsPerCall;
            if (probes.TryGetValue(Variants[0].Label, out var fp32))
            {
                if (probes.TryGetValue(Variants[2].Label, out var fp16))
                    rows.Add($"| {model} | fp16 vs fp32 on the device: lowest cosine over {count} inputs | {Drift.LowestCosine(fp16, fp32, count):F6} | |");
                if (probes.TryGetValue(Variants[1].Label, out var host))
                    rows.Add($"| {model} | host path vs in-graph on the device: highest relative error | {Drift.HighestRelativeError(host, fp32, count):E2} | |");
            }
        }
        return string.Join(Environment.NewLine, rows);
    }

    private static async Task<double> BareItemsPerSecondAsync(BoundBareModel bound, IReadOnlyList<BareBatch> batches, BenchmarkOptions options) =>
        (await ClosedLoop.RunAsync(1, options.Warmup, options.Duration, s => Task.FromResult(bound.Run(batches[s % batches.Count])))).ItemsPerSecond;

    /// <summary>Table rows, each written to standard error as it is added, so a run cut short still shows them.</summary>
    private sealed class PrintedRows : List<string>
    {
        public new void Add(string row)
        {
            base.Add(row);
            Console.Error.WriteLine(row);
        }

        public async Task TryAsync(string model, string label, Func<Task<string>> measure)
        {
            try
            {
                Add(await measure());
            }
            catch (Exception e)
            {
                Add($"| {model} | {label} | failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} | |");
            }
        }
    }

    private static string Row(string model, string label, double itemsPerSecond, double bare) =>
        string.Create(CultureInfo.InvariantCulture, $"| {model} | {label} | {itemsPerSecond:F0} | {itemsPerSecond / bare:F2} |");

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
