namespace TransferService.Telemetry;

/// <summary>Telemetry switches beyond the standard <c>OTEL_*</c> variables (which configure OTLP export).</summary>
public sealed record TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Port of the Prometheus scrape endpoint (HTTP/1.1, <see cref="MetricsPath"/>), on the host of the first gRPC
    /// address; 0 = no endpoint. A port of its own because the gRPC port speaks only HTTP/2, which Prometheus does not.</summary>
    public int MetricsPort { get; init; }

    public string MetricsPath { get; init; } = "/metrics";

    /// <summary>The <c>service.name</c> resource attribute unless <c>OTEL_SERVICE_NAME</c> sets another.</summary>
    public string ServiceName { get; init; } = "transfer-service";
}
