using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TransferService.Hosting;

namespace TransferService.Tests.Hosting;

/// <summary>Kestrel's limits come from Kestrel:Limits, as in any ASP.NET Core server; the request body limit still
/// follows Service:MaxReceiveMessageBytes.</summary>
public sealed class KestrelLimitsTests
{
    [Fact]
    public async Task KestrelLimitsSettings_ReachTheServer_BodyLimitStillFollowsTheMessageLimit()
    {
        await using var app = TransferServiceApp.Create([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Service:DataFolder"] = Path.Combine(Path.GetTempPath(), $"kestrel-limits-{Guid.NewGuid():N}"),
            ["Service:MaxReceiveMessageBytes"] = "1048576",
            ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu",
            ["Kestrel:Limits:Http2:MaxStreamsPerConnection"] = "7",
            ["Kestrel:Limits:Http2:InitialConnectionWindowSize"] = "33554432",
            ["Kestrel:Limits:MaxRequestBodySize"] = "1",
        });

        var limits = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(7, limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(33554432, limits.Http2.InitialConnectionWindowSize);
        Assert.Equal(1048576 + 5, limits.MaxRequestBodySize);
    }
}
