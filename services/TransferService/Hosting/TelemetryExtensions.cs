using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TransferService.Core.Telemetry;
using TransferService.Telemetry;

namespace TransferService.Hosting;

/// <summary>The one place OpenTelemetry is wired: the service's ActivitySource and Meter, ASP.NET Core, runtime and
/// process instrumentation; OTLP export of traces, metrics and logs when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a
/// signal's own endpoint variable) is set, configured by the standard <c>OTEL_*</c> variables; and the Prometheus scrape
/// endpoint on <see cref="TelemetryOptions.MetricsPort"/> when it is set.</summary>
internal static class TelemetryExtensions
{
    private const string HealthPath = "/grpc.health.v1.Health";

    public static IServiceCollection AddTransferTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = Options(configuration);
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => o.MetricsPort is >= 0 and <= 65535, "Telemetry:MetricsPort must be 0 (off) or a port")
            .Validate(o => o.MetricsPath.StartsWith('/'), "Telemetry:MetricsPath must start with /").ValidateOnStart();
        services.AddSingleton(sp => new TransferMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var otlp = Exporting(configuration, "");
        var telemetry = services.AddOpenTelemetry()
            // The environment detector after the default name, so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
            .ConfigureResource(r => r.AddService(options.ServiceName).AddEnvironmentVariableDetector())
            .WithTracing(tracing =>
            {
                tracing.AddSource(TransferTelemetry.Name)
                    // Probes call health every few seconds; a trace of each would bury the calls worth looking at.
                    .AddAspNetCoreInstrumentation(a => a.Filter = context => !context.Request.Path.StartsWithSegments(HealthPath));
                if (otlp || Exporting(configuration, "TRACES_")) tracing.AddOtlpExporter();
                // Spans nobody exports are not recorded; with an exporter, OTEL_TRACES_SAMPLER chooses (default: all).
                else tracing.SetSampler(new AlwaysOffSampler());
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TransferTelemetry.Name).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddProcessInstrumentation();
                if (otlp || Exporting(configuration, "METRICS_")) metrics.AddOtlpExporter();
                if (options.MetricsPort > 0) metrics.AddPrometheusExporter(p => p.ScrapeEndpointPath = options.MetricsPath);
            });
        if (otlp || Exporting(configuration, "LOGS_")) telemetry.WithLogging(logging => logging.AddOtlpExporter());
        return services;
    }

    /// <summary>The scrape endpoint answers only on the metrics port, so the gRPC port serves no HTTP/1.1 page.</summary>
    public static void MapTransferTelemetry(this WebApplication app)
    {
        app.UseMiddleware<RpcDurationMiddleware>();
        var options = Options(app.Configuration);
        if (options.MetricsPort > 0)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Connection.LocalPort == options.MetricsPort && context.Request.Path == options.MetricsPath);
    }

    /// <summary>The metrics port as a second listen address, on the host of the first gRPC address, over HTTP/1.1 (the gRPC
    /// addresses stay HTTP/2 only).</summary>
    public static HttpProtocols ProtocolsFor(ListenOptions listen, IConfiguration configuration) =>
        Options(configuration).MetricsPort is > 0 and var port && listen.IPEndPoint?.Port == port ? HttpProtocols.Http1 : HttpProtocols.Http2;

    /// <summary>The listen URLs with the metrics address added; unchanged when there is no metrics port.</summary>
    public static string WithMetricsAddress(string urls, IConfiguration configuration)
    {
        var port = Options(configuration).MetricsPort;
        if (port == 0) return urls;
        var first = new Uri(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0].Replace("*", "0.0.0.0").Replace("+", "0.0.0.0"));
        return $"{urls};http://{first.Host}:{port}";
    }

    private static TelemetryOptions Options(IConfiguration configuration) =>
        configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

    private static bool Exporting(IConfiguration configuration, string signal) =>
        !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}ENDPOINT"]);
}
