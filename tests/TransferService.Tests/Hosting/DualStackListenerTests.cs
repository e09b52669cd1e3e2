using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Hosting;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hosting;

/// <summary>The deployment files' listening address, "http://+:port", serves IPv6 and IPv4 clients on one port.</summary>
[Collection(ServerCollection.Name)]
public sealed class DualStackListenerTests(ServerFixture server)
{
    [Fact]
    public async Task AnyAddress_AnswersOverIPv4AndIPv6()
    {
        var data = Path.Combine(Path.GetTempPath(), $"dual-stack-{Guid.NewGuid():N}");
        await using var app = TransferServiceApp.Create([], new Dictionary<string, string?>
        {
            ["urls"] = "http://+:0",
            ["Service:DataFolder"] = data,
            ["Backbones:ModelRepository"] = server.ModelRepository, ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        try
        {
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;

            foreach (var host in new[] { "127.0.0.1", "[::1]" })
            {
                using var channel = GrpcChannel.ForAddress($"http://{host}:{port}");
                var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
                Assert.True(Enum.IsDefined(reply.Status), $"no health answer over {host}");
            }
        }
        finally
        {
            await app.StopAsync();
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }
}
