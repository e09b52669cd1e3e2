using System.Globalization;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Service;
using TransferService.Benchmarks.Workloads;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks;

/// <summary>The in-graph data path (8-bit pixels and token ids in, normalisation and pooling in the graph) against the
/// host path (float planes in, pooling on the host), each on a service of its own in this process, measured in
/// interleaved rounds at one caller and at the highest concurrency: items/s of each and their ratio per round.</summary>
internal static class DataPathBenchmark
{
    private static readonly TimeSpan RoundWarmup = TimeSpan.FromSeconds(0.5);

    public static async Task<string> RunAsync(BenchmarkOptions options)
    {
        var rows = new List<string>
        {
            $"in-graph vs host data path, {options.Device}, {options.Pairs} interleaved rounds of {options.PairDuration.TotalSeconds:0.#} s each",
            "",
            "| model | callers | in-graph items/s | host items/s | ratio in-graph / host (median, min-max) |",
            "|---|---:|---:|---:|---|",
        };
        foreach (var model in options.Models)
        {
            IWorkload workload = model == "minilm" ? new MiniLmWorkload(Path.Combine(options.DataFolder, "models", model)) : new ResNet18Workload();
            await using var graph = await StartAsync(options.DataFolder, options.Device, model, "Graph");
            await using var host = await StartAsync(options.DataFolder + "-host-path", options.Device, model, "Host");
            var requests = workload.CreateRequests();
            foreach (var callers in new[] { 1, options.Concurrency.Max() }.Distinct())
            {
                var (graphRates, hostRates) = (new List<double>(), new List<double>());
                for (var round = 0; round < Math.Max(options.Pairs, 1); round++)
                {
                    graphRates.Add(await MeasureAsync(graph, requests, callers, options.PairDuration));
                    hostRates.Add(await MeasureAsync(host, requests, callers, options.PairDuration));
                    Console.Error.WriteLine($"{model} c{callers} round {round + 1}: in-graph {graphRates[^1]:F1}, host {hostRates[^1]:F1} items/s");
                }
                var ratios = new PairedRatio(model, callers, 0, graphRates.Zip(hostRates, (g, h) => g / h).ToArray());
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {model} | {callers} | {Median(graphRates):F1} | {Median(hostRates):F1} | {ratios.Median:F2} ({ratios.Ratios.Min():F2}-{ratios.Ratios.Max():F2}) |"));
            }
        }
        return string.Join(Environment.NewLine, rows);
    }

    private static Task<InProcessService> StartAsync(string folder, string device, string model, string dataPath) =>
        InProcessService.StartAsync(folder, device, new Dictionary<string, string?>
        {
            ["Backbones:Preload"] = model,
            ["Lanes:DataPath"] = dataPath,
        });

    private static async Task<double> MeasureAsync(InProcessService service, IReadOnlyList<EmbedRequest> requests, int callers, TimeSpan duration)
    {
        var client = new EmbeddingService.EmbeddingServiceClient(service.Channel);
        var result = await ClosedLoop.RunAsync(callers, RoundWarmup, duration, async sequence =>
        {
            await client.EmbedAsync(requests[sequence % requests.Count]);
            return 1;
        });
        return result.ItemsPerSecond;
    }

    private static double Median(List<double> values) => new PairedRatio("", 0, 0, values).Median;
}
