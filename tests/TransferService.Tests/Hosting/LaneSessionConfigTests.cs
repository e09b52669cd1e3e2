using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TransferService.Hosting;
using TransferService.Onnx.Lanes;

namespace TransferService.Tests.Hosting;

/// <summary>Lanes:SessionConfig passes ONNX Runtime session entries through from configuration: dotted keys bind as
/// they are, and entries ONNX Runtime would refuse stop the service at start, naming the setting.</summary>
public sealed class LaneSessionConfigTests
{
    private static Microsoft.AspNetCore.Builder.WebApplication Create(Dictionary<string, string?> settings) =>
        TransferServiceApp.Create([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Service:DataFolder"] = Path.Combine(Path.GetTempPath(), $"session-config-{Guid.NewGuid():N}"),
            ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu",
        }.Concat(settings).ToDictionary());

    [Fact]
    public async Task SessionConfigSettings_BindWithTheirDottedKeys()
    {
        await using var app = Create(new()
        {
            ["Lanes:SessionConfig:session.intra_op.allow_spinning"] = "0",
            ["Lanes:SessionConfig:session.force_spinning_stop"] = "1",
        });

        var options = app.Services.GetRequiredService<IOptions<LaneOptions>>().Value;

        Assert.Equal(new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = "0", ["session.force_spinning_stop"] = "1" },
            options.SessionConfig);
    }

    [Fact]
    public async Task SessionConfigKeyOver128Characters_RefusedNamingTheSetting()
    {
        await using var app = Create(new() { [$"Lanes:SessionConfig:session.{new string('k', 130)}"] = "1" });

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<LaneOptions>>().Value);

        Assert.Contains("Lanes:SessionConfig", error.Message);
    }
}
