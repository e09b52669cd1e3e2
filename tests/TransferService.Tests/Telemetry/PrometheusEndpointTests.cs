using TransferService.Contracts.V1;

namespace TransferService.Tests.Telemetry;

/// <summary>The Prometheus scrape endpoint on Telemetry:MetricsPort, over HTTP/1.1 beside the HTTP/2-only gRPC port.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PrometheusEndpointTests
{
    [Fact]
    public async Task Metrics_AfterAnEmbedCall_AnswersWithTheServiceRuntimeAndRpcSeries()
    {
        await using var server = await TelemetryServer.StartAsync();
        var embeddings = new EmbeddingService.EmbeddingServiceClient(server.Server.Channel);
        await embeddings.EmbedAsync(new EmbedRequest
        {
            Backbone = server.Backbone, Inputs = { new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { 1, 2, 3, 4 } } } },
        });

        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version11 };
        using var response = await http.GetAsync($"http://127.0.0.1:{server.MetricsPort}/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        foreach (var name in new[] { "rpc_server_duration_seconds_bucket", "transfer_items_embedded_total", "transfer_queue_wait_seconds_bucket",
                     "transfer_queue_depth", "transfer_lane_busy_fraction", "transfer_jobs_active", "process_cpu_time" })
            Assert.Contains(name, text);
        Assert.Contains($"transfer_backbone=\"{server.Backbone}\"", text);
    }
}
