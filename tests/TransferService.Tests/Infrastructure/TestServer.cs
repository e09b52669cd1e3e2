using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Hosting;

namespace TransferService.Tests.Infrastructure;

/// <summary>The real service, built as Program.cs builds it, on a loopback port, and a gRPC channel to it.
/// Owns both.</summary>
public sealed record TestServer(WebApplication App, GrpcChannel Channel) : IAsyncDisposable
{
    /// <param name="settings">Configuration; a key here wins over the test defaults (loopback port, quiet logs).</param>
    /// <param name="configure">Runs on the builder before the app is built (in-memory exporters, log capture).</param>
    public static async Task<TestServer> StartAsync(string dataFolder, IDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings) all[key] = value;
        all["Service:DataFolder"] = dataFolder;
        var app = TransferServiceApp.Create([], all, configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 }));
    }

    /// <summary>Polls health until start-up (installing the built-ins, loading and warming the preloads) reports
    /// SERVING; a fixture whose tests need a ready server awaits this before its first test.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var health = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow + timeout;
        while ((await health.CheckAsync(new HealthCheckRequest())).Status != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the service did not report SERVING in time");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
