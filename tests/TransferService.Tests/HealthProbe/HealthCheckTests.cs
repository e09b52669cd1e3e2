using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TransferService.HealthProbe;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.HealthProbe;

/// <summary>The container's HEALTHCHECK probe against the real server: its exit code is what Docker reads.</summary>
[Collection(ServerCollection.Name)]
public sealed class HealthCheckTests(ServerFixture server)
{
    [Fact]
    public async Task RunAsync_ServingServer_ExitsZero()
    {
        var output = new StringWriter();

        var exitCode = await HealthCheck.RunAsync(Target(ServerAddress()), output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal("Serving", output.ToString().Trim());
    }

    [Fact]
    public async Task RunAsync_ServiceOfTheServer_ExitsZero()
    {
        var exitCode = await HealthCheck.RunAsync(Target(ServerAddress(), "transfer.v1.EmbeddingService"), TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task RunAsync_UnknownService_ExitsOne()
    {
        var output = new StringWriter();

        var exitCode = await HealthCheck.RunAsync(Target(ServerAddress(), "no.such.Service"), output, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("NotFound", output.ToString());
    }

    [Fact]
    public async Task RunAsync_NothingListening_ExitsOne()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var output = new StringWriter();

        var exitCode = await HealthCheck.RunAsync(Target(new Uri($"http://127.0.0.1:{port}")), output, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("Unavailable", output.ToString());
    }

    private static ProbeTarget Target(Uri address, string service = "") => new(address, service, TimeSpan.FromSeconds(5));

    private Uri ServerAddress() =>
        new(server.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
