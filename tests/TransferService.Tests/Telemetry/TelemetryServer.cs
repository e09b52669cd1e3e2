using System.Diagnostics;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Telemetry;

/// <summary>A server of its own with its telemetry exported to in-memory lists (the test hook of
/// <see cref="TestServer.StartAsync"/>), its logs captured, the Prometheus endpoint on a free port, and a tiny tensor
/// backbone under a name no other server uses, so its series are told apart from those of servers running beside it
/// in the same test process (spans and meters are process-wide). Owns the server and its data folder.</summary>
public sealed class TelemetryServer : IAsyncDisposable
{
    private readonly string _folder;

    private TelemetryServer(string folder, TestServer server, int metricsPort, string backbone, ConcurrentList<Activity> spans,
        ConcurrentList<MetricSnapshot> metrics, CapturedLogs logs)
    {
        _folder = folder;
        (Server, MetricsPort, Backbone, Spans, Metrics, Logs) = (server, metricsPort, backbone, spans, metrics, logs);
    }

    public TestServer Server { get; }
    public int MetricsPort { get; }
    public string Backbone { get; }
    /// <summary>Spans as they end, of every server in the process (filter by trace).</summary>
    public ConcurrentList<Activity> Spans { get; }
    /// <summary>Metric snapshots, appended by every <see cref="CollectMetrics"/>.</summary>
    public ConcurrentList<MetricSnapshot> Metrics { get; }
    public CapturedLogs Logs { get; }

    public static async Task<TelemetryServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"transfer-telemetry-{Guid.NewGuid():N}");
        var backbone = $"tiny-otel-{Guid.NewGuid():N}"[..20];
        TinyTensorBackbone.Create(Path.Combine(folder, "models"), backbone);
        var port = ChildServer.FreePort();
        var all = new Dictionary<string, string?>
        {
            ["Backbones:Preload"] = backbone,
            ["Lanes:Devices"] = "cpu",
            ["Jobs:MaxConcurrent"] = "1",
            ["Telemetry:MetricsPort"] = port.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        ConcurrentList<Activity> spans = new();
        ConcurrentList<MetricSnapshot> metrics = new();
        var logs = new CapturedLogs();
        var server = await TestServer.StartAsync(folder, all, builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans));
            builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
            builder.Logging.AddProvider(logs);
        });
        var health = new Health.HealthClient(server.Channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await health.CheckAsync(new HealthCheckRequest())).Status != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the server did not report SERVING within 60 s");
            await Task.Delay(50);
        }
        return new TelemetryServer(folder, server, port, backbone, spans, metrics, logs);
    }

    /// <summary>Collects every instrument now and returns the latest snapshot of each metric.</summary>
    public IReadOnlyDictionary<string, MetricSnapshot> CollectMetrics()
    {
        Metrics.Clear();
        Server.App.Services.GetRequiredService<MeterProvider>().ForceFlush();
        return Metrics.Snapshot().GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
    }

    /// <summary>The first span matching <paramref name="match"/>, waiting up to 10 s for it to end (a server span ends
    /// after the client has its answer).</summary>
    public async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (Spans.Snapshot().FirstOrDefault(match) is { } span) return span;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no such span ended within 10 s");
            await Task.Delay(50);
        }
    }

    /// <summary>The server span of an Embed call on this server's backbone, found through its inference span: spans are
    /// process-wide, and a span matched by path alone may be another server's call whose metrics are not this one's.</summary>
    public async Task<Activity> EmbedCallSpanAsync()
    {
        var ran = await SpanAsync(s => s.OperationName == "transfer.inference" && s.ParentSpanId != default
            && Equals(s.GetTagItem("transfer.backbone"), Backbone));
        return await SpanAsync(s => s.TraceId == ran.TraceId && s.SpanId == ran.ParentSpanId);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
