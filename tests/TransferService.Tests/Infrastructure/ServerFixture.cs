using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Hosting;

namespace TransferService.Tests.Infrastructure;

/// <summary>The real service on a loopback port with its real built-in backbones, in a fresh data folder,
/// on two CPU lanes (as two GPUs would be), reached through a real gRPC channel. Shared by the test run.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const int MaxReceiveMessageBytes = 8 * 1024 * 1024;

    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), $"transfer-tests-{Guid.NewGuid():N}");
    public string ModelRepository => Path.Combine(DataFolder, "models");
    public WebApplication App { get; private set; } = null!;
    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = TransferServiceApp.Create([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Service:DataFolder"] = DataFolder,
            ["Service:MaxReceiveMessageBytes"] = MaxReceiveMessageBytes.ToString(),
            ["Lanes:Devices"] = "cpu,cpu:1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        await WaitUntilServingAsync(TimeSpan.FromMinutes(3));
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var health = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var reply = await health.CheckAsync(new HealthCheckRequest());
            if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            await Task.Delay(200);
        }
        throw new TimeoutException("the service did not report SERVING in time");
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
