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
    public static async Task<TestServer> StartAsync(string dataFolder, IDictionary<string, string?> settings)
    {
        var app = TransferServiceApp.Create([], new Dictionary<string, string?>(settings)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Service:DataFolder"] = dataFolder,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 }));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
