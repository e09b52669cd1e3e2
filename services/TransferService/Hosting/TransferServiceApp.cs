using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using TransferService.Grpc;
using TransferService.Security;

namespace TransferService.Hosting;

/// <summary>Builds the service: used by Program.cs and, with other configuration, by the integration tests.</summary>
public static class TransferServiceApp
{
    public const string DefaultUrl = "http://localhost:50051";
    private const int GrpcFrameHeaderBytes = 5;

    /// <param name="configure">Runs last, before the app is built: tests use it to add in-memory telemetry exporters and
    /// log capture.</param>
    public static WebApplication Create(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        var endpointsConfigured = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!endpointsConfigured)
            builder.WebHost.UseUrls(TelemetryExtensions.WithMetricsAddress(builder.Configuration["urls"] is { Length: > 0 } urls ? urls : DefaultUrl, builder.Configuration));
        // HTTP/2 only: plain text (h2c) on http:// addresses; TLS on https:// endpoints from Kestrel:Endpoints, with
        // client certificates required when Security:ClientCertificateAuthority names a CA.
        var authority = builder.Configuration[$"{SecurityOptions.Section}:{nameof(SecurityOptions.ClientCertificateAuthority)}"];
        var maxMessageBytes = (builder.Configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new ServiceOptions()).MaxReceiveMessageBytes;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ConfigureEndpointDefaults(e => e.Protocols = TelemetryExtensions.ProtocolsFor(e, builder.Configuration));
            // With Kestrel:Endpoints the listen URLs are ignored, so the metrics port is a listener of its own.
            if (endpointsConfigured && builder.Configuration.GetValue<int>("Telemetry:MetricsPort") is > 0 and var metricsPort)
                k.ListenAnyIP(metricsPort, l => l.Protocols = HttpProtocols.Http1);
            if (!string.IsNullOrEmpty(authority)) k.ConfigureHttpsDefaults(https => ClientCertificates.Require(https, authority));
            // Kestrel's limits (HTTP/2 flow-control windows, connection counts, …) from Kestrel:Limits, as in any
            // ASP.NET Core server.
            builder.Configuration.GetSection("Kestrel:Limits").Bind(k.Limits);
            // A unary body is one message and its 5-byte frame header; Kestrel's own default (30 MB) would refuse
            // messages the service documents as accepted. Streaming calls lift this limit and check per message.
            k.Limits.MaxRequestBodySize = (long)maxMessageBytes + GrpcFrameHeaderBytes;
        });

        builder.Services.AddTransferGrpc(builder.Configuration);
        builder.Services.AddTransferSecurity();
        builder.Services.AddTransferCore(builder.Configuration);
        builder.Services.AddTransferOnnx(builder.Configuration);
        builder.Services.AddTransferTelemetry(builder.Configuration);
        // appsettings.json's timestamp ends in a space, the simple formatter's separator; a JSON value needs none.
        builder.Services.PostConfigure<JsonConsoleFormatterOptions>(json => json.TimestampFormat = json.TimestampFormat?.TrimEnd());
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapTransferTelemetry();
        app.Use((context, next) =>
        {
            RequestFrameReader.Install(context, maxMessageBytes);
            return next(context);
        });
        app.MapGrpcService<BackboneGrpcService>();
        app.MapGrpcService<EmbeddingGrpcService>();
        app.MapGrpcService<DatasetGrpcService>();
        app.MapGrpcService<HeadGrpcService>();
        app.MapGrpcService<JobGrpcService>();
        app.MapGrpcService<ExtractionGrpcService>();
        app.MapGrpcService<AccessGrpcService>();
        app.MapGrpcService<HealthGrpcService>();
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.EnableReflection) app.MapGrpcReflectionService();
        return app;
    }
}
