using Microsoft.Extensions.DependencyInjection;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Service;
using TransferService.Contracts.V1;
using TransferService.Core.Backbones;
using TransferService.Tests.Infrastructure;

namespace TransferService.Benchmarks;

/// <summary>Mixed-length texts (SpamAssassin emails cut to lengths from a few tokens to minilm's 256) through minilm with token-length
/// grouping off (batches take queued items in order, as before the lane scheduler) and then on, each on a fresh
/// service: items/s, call latency and the padding fraction of the batches (padded token slots / all slots).</summary>
internal static class MixedLengthBenchmark
{
    private const int EmailsPerCall = 4;

    public static async Task<string> RunAsync(BenchmarkOptions options)
    {
        // Raw emails nearly all pass minilm's 256 tokens; cut each at a log-uniform length (seeded) from 16 to 4,000
        // characters, so lengths spread from a few tokens to the limit, as mixed traffic does.
        var random = new Random(11);
        var emails = SpamAssassin.Trim(SpamAssassin.Load(512, 0).First)
            .Select(e => e.Text[..Math.Min(e.Text.Length, (int)Math.Exp(random.NextDouble() * Math.Log(4000 / 16.0)) * 16)]).ToArray();
        var rows = new List<string>
        {
            $"minilm, {emails.Length} SpamAssassin emails cut to 16-4000 characters (log-uniform), {options.MixedTextCallers} callers × {EmailsPerCall} emails per Embed, {options.Device}",
            "",
            "| grouping | items/s | p50 ms | p99 ms | padding fraction |",
            "|---|---|---|---|---|",
        };
        foreach (var grouping in new[] { false, true })
        {
            await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device, new Dictionary<string, string?>
            {
                ["Backbones:Preload"] = "minilm",
                ["Scheduling:GroupTextByLength"] = grouping.ToString(),
            });
            var client = new EmbeddingService.EmbeddingServiceClient(service.Channel);
            var batcher = (await service.Services.GetRequiredService<BackboneRegistry>().GetForInferenceAsync("minilm", "backbone", default)).Instances[0].Batcher;
            async Task<int> Call(int sequence)
            {
                var request = new EmbedRequest { Backbone = "minilm" };
                for (var i = 0; i < EmailsPerCall; i++) request.Inputs.Add(new Input { Text = emails[(sequence * EmailsPerCall + i) % emails.Length] });
                await client.EmbedAsync(request);
                return EmailsPerCall;
            }
            await ClosedLoop.RunAsync(options.MixedTextCallers, TimeSpan.Zero, options.Warmup, Call);
            var before = batcher.TokenSlots;
            var result = await ClosedLoop.RunAsync(options.MixedTextCallers, TimeSpan.Zero, options.Duration, Call);
            var after = batcher.TokenSlots;
            var padding = (after.Padded - before.Padded) / (double)Math.Max(1, after.Slots - before.Slots);
            var row = $"| {(grouping ? "on" : "off")} | {result.ItemsPerSecond:F1} | {result.Latency.P50Ms:F0} | {result.Latency.P99Ms:F0} | {padding:P1} |";
            Console.Error.WriteLine(row);
            rows.Add(row);
        }
        return string.Join(Environment.NewLine, rows);
    }
}
