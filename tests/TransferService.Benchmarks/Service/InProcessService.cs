using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Hosting;

namespace TransferService.Benchmarks.Service;

/// <summary>The real service, built as Program.cs builds it, on a loopback port in this process, reached
/// through a real gRPC channel. Owns the app and the channel.</summary>
internal sealed class InProcessService : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private readonly WebApplication _app;

    private InProcessService(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        Channel = channel;
    }

    public GrpcChannel Channel { get; }

    /// <summary>The service's own objects, for counters no RPC reports (a batcher's padding).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the service on <paramref name="device"/>'s lane and waits until health says SERVING:
    /// built-in backbones installed (first run only), preloaded and warmed.</summary>
    /// <param name="settings">Configuration on top of the benchmark's own (e.g. Scheduling:GroupTextByLength).</param>
    public static async Task<InProcessService> StartAsync(string dataFolder, string device, IDictionary<string, string?>? settings = null)
    {
        if (!File.Exists(Path.Combine(dataFolder, "models", "resnet18", "backbone.json")))
            Console.Error.WriteLine($"Installing the built-in backbones into {dataFolder} (first run only)...");
        var app = TransferServiceApp.Create([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Service:DataFolder"] = dataFolder,
            ["Lanes:Devices"] = device,
            ["Logging:LogLevel:Default"] = "Warning",
            // The service's log to stderr: stdout holds the tables.
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        }.Concat(settings ?? new Dictionary<string, string?>()).ToDictionary());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var service = new InProcessService(app, GrpcChannel.ForAddress(address));
        try
        {
            await service.WaitUntilServingAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
        Console.Error.WriteLine($"Service serving at {address}");
        return service;
    }

    private async Task WaitUntilServingAsync()
    {
        var health = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var reply = await health.CheckAsync(new HealthCheckRequest { Service = "" });
            if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the service did not report SERVING within {StartTimeout}; see its log above");
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
