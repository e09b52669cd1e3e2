using System.Diagnostics;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Telemetry;

/// <summary>An Embed call seen through the in-memory exporters: its server span with the queue-wait, preprocessing and
/// inference spans under it, and the RPC, queue, batch and item instruments with the call's numbers.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class EmbedTelemetryTests
{
    private static Input Tensor(float a) => new() { Tensor = new FloatTensor { Shape = { 4 }, Values = { a, 1, 2, 3 } } };

    [Fact]
    public async Task Embed_ThreeInputs_ServerSpanHasQueueWaitPreprocessAndInferenceChildren()
    {
        await using var server = await TelemetryServer.StartAsync();
        var embeddings = new EmbeddingService.EmbeddingServiceClient(server.Server.Channel);

        await embeddings.EmbedAsync(new EmbedRequest { Backbone = server.Backbone, Inputs = { Tensor(1), Tensor(2), Tensor(3) } });

        var call = await server.EmbedCallSpanAsync();
        Assert.Equal((ActivityKind.Server, "/transfer.v1.EmbeddingService/Embed"), (call.Kind, call.GetTagItem("url.path")));
        var children = server.Spans.Snapshot().Where(s => s.TraceId == call.TraceId && s.ParentSpanId == call.SpanId).ToArray();
        var byName = children.GroupBy(s => s.OperationName).ToDictionary(g => g.Key, g => g.ToArray());
        Assert.Equal(["transfer.inference", "transfer.preprocess", "transfer.queue_wait"], byName.Keys.Order());
        var preprocess = Assert.Single(byName["transfer.preprocess"]);
        Assert.Equal(3, preprocess.GetTagItem("transfer.items"));
        foreach (var wait in byName["transfer.queue_wait"]) Assert.Equal("cpu", wait.GetTagItem("transfer.lane"));
        var inference = byName["transfer.inference"];
        Assert.Equal(3, inference.Sum(s => (int)s.GetTagItem("transfer.batch.size")!));
        Assert.All(inference, s => Assert.Equal(server.Backbone, s.GetTagItem("transfer.backbone")));
        // In order, inside the call: prepared, waited, ran.
        Assert.All(children, s => Assert.InRange(s.StartTimeUtc, call.StartTimeUtc, call.StartTimeUtc + call.Duration));
        Assert.All(byName["transfer.queue_wait"], w => Assert.True(w.StartTimeUtc >= preprocess.StartTimeUtc));
        Assert.All(inference, i => Assert.True(i.StartTimeUtc >= byName["transfer.queue_wait"].Min(w => w.StartTimeUtc + w.Duration) - TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task Embed_ThreeInputs_InstrumentsCountTheCallItsItemsAndItsWait()
    {
        await using var server = await TelemetryServer.StartAsync();
        var embeddings = new EmbeddingService.EmbeddingServiceClient(server.Server.Channel);

        await embeddings.EmbedAsync(new EmbedRequest { Backbone = server.Backbone, Inputs = { Tensor(1), Tensor(2), Tensor(3) } });
        await server.EmbedCallSpanAsync(); // ends after the duration is recorded
        var metrics = server.CollectMetrics();

        var rpc = MetricPoints.Histograms(metrics["rpc.server.duration"], ("rpc.method", "Embed"), ("rpc.service", "transfer.v1.EmbeddingService"), ("rpc.grpc.status_code", 0));
        Assert.True(rpc.Count >= 1 && rpc.Sum > 0 && rpc.Sum < 30, $"rpc.server.duration count {rpc.Count} sum {rpc.Sum}: " + string.Join("; ", metrics["rpc.server.duration"].MetricPoints.Select(p => string.Join(",", MetricPoints.Attributes(p)))));
        Assert.Equal("s", metrics["rpc.server.duration"].Unit);
        // The warm-up input and the call's three, on this server's backbone only.
        Assert.Equal(4, MetricPoints.Sum(metrics["transfer.items.embedded"], ("transfer.backbone", server.Backbone)));
        var wait = MetricPoints.Histograms(metrics["transfer.queue.wait"], ("transfer.lane", "cpu"), ("transfer.priority", "interactive"));
        Assert.True(wait.Count >= 4 && wait.Sum >= 0, $"transfer.queue.wait count {wait.Count}");
        var batches = MetricPoints.Histograms(metrics["transfer.batch.size"], ("transfer.lane", "cpu"));
        Assert.True(batches.Sum >= 4, $"transfer.batch.size sum {batches.Sum}");
        Assert.Contains(MetricPoints.Gauges(metrics["transfer.queue.depth"], ("transfer.priority", "low")), v => v >= 0);
        Assert.All(MetricPoints.Gauges(metrics["transfer.lane.busy_fraction"]), v => Assert.InRange(v, 0, 1));
        Assert.Contains(metrics.Keys, name => name.StartsWith("process.", StringComparison.Ordinal));
        Assert.Contains(metrics.Keys, name => name.StartsWith("dotnet.", StringComparison.Ordinal) || name.StartsWith("process.runtime.dotnet.", StringComparison.Ordinal));
    }
}
