using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using TransferService.Grpc;
using TransferService.Security;

namespace TransferService.Hosting;

/// <summary>Builds the service: used by Program.cs and, with other configuration, by the integration tests.</summary>
public static class TransferServiceApp
{
    public const string DefaultUrl = "http://localhost:50051";

    public static WebApplication Create(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        // Plain-text HTTP/2 (h2c): gRPC clients connect without TLS; terminate TLS at the ingress or mesh.
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));

        builder.Services.AddTransferGrpc(builder.Configuration);
        builder.Services.AddTransferSecurity();
        builder.Services.AddTransferCore(builder.Configuration);
        builder.Services.AddTransferOnnx(builder.Configuration);

        var app = builder.Build();
        app.MapGrpcService<BackboneGrpcService>();
        app.MapGrpcService<EmbeddingGrpcService>();
        app.MapGrpcService<DatasetGrpcService>();
        app.MapGrpcService<HeadGrpcService>();
        app.MapGrpcService<JobGrpcService>();
        app.MapGrpcService<AccessGrpcService>();
        app.MapGrpcService<HealthServiceImpl>();
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.EnableReflection) app.MapGrpcReflectionService();
        return app;
    }
}
