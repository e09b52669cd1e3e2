using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TransferService.Grpc;

namespace TransferService.Hosting;

/// <summary>Builds the service: used by Program.cs and, with other configuration, by the integration tests.</summary>
public static class TransferServiceApp
{
    public const string DefaultUrl = "http://localhost:50051";
    private const int GrpcFrameHeaderBytes = 5;

    public static WebApplication Create(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        // Plain-text HTTP/2 (h2c): gRPC clients connect without TLS; terminate TLS at the ingress or mesh.
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));

        // A unary body is one message and its 5-byte frame header; Kestrel's own default (30 MB) would refuse
        // messages the service documents as accepted. Streaming calls lift this limit and check per message.
        var maxMessageBytes = (builder.Configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new ServiceOptions()).MaxReceiveMessageBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = (long)maxMessageBytes + GrpcFrameHeaderBytes);

        builder.Services.AddTransferGrpc(builder.Configuration);
        builder.Services.AddTransferCore(builder.Configuration);
        builder.Services.AddTransferOnnx(builder.Configuration);

        var app = builder.Build();
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
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        return app;
    }
}
