using System.Diagnostics;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>A backbone.json is written by whoever can write to the model repository, so its paths are hostile:
/// they once read /etc/passwd and /proc/self/environ, and /dev/zero grew the process to 7 GB. Every path must stay
/// inside the backbone folder (symlinks resolved), name a regular file and be under a size cap; a refusal is
/// InvalidArgument naming the manifest field, with no server path in the message.</summary>
[Collection(ServerCollection.Name)]
public sealed class ManifestPathTests(ServerFixture server)
{
    private readonly BackboneService.BackboneServiceClient _backbones = new(server.Channel);

    private static string TextManifest(string vocabulary) => $$"""
        { "modality": "text", "output": "y", "dimension": 3, "text": { "vocabulary": "{{vocabulary}}" } }
        """;

    private static string NewName() => $"hostile-{Guid.NewGuid():N}"[..24];

    private async Task RefusedAsync(string name, string field)
    {
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = name }).ResponseAsync, field);
        var described = (await _backbones.GetBackboneAsync(new GetBackboneRequest { Name = name })).Backbone;
        foreach (var text in new[] { message, described.Error })
        {
            Assert.DoesNotContain(server.DataFolder, text);
            Assert.DoesNotContain("/etc", text);
            Assert.DoesNotContain("/proc", text);
            Assert.DoesNotContain("/dev", text);
        }
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("/dev/zero")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("words/../../minilm/vocab.txt")]
    public async Task LoadBackbone_VocabularyPathLeavesTheFolder_InvalidArgument(string vocabulary)
    {
        var name = NewName();
        TinyTensorBackbone.Create(server.ModelRepository, name, TextManifest(vocabulary));

        await RefusedAsync(name, "text.vocabulary");
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("/dev/zero")]
    public async Task LoadBackbone_VocabularySymlinkPointsOutside_InvalidArgument(string target)
    {
        var name = NewName();
        var folder = TinyTensorBackbone.Create(server.ModelRepository, name, TextManifest("vocab.txt"));
        File.CreateSymbolicLink(Path.Combine(folder, "vocab.txt"), target);

        await RefusedAsync(name, "text.vocabulary");
    }

    [Fact]
    public async Task LoadBackbone_VocabularyUnderASymlinkedFolder_InvalidArgument()
    {
        var name = NewName();
        var folder = TinyTensorBackbone.Create(server.ModelRepository, name, TextManifest("words/passwd"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "words"), "/etc");

        await RefusedAsync(name, "text.vocabulary");
    }

    [Fact]
    public async Task LoadBackbone_VocabularyIsAFifo_InvalidArgumentWithoutBlocking()
    {
        var name = NewName();
        var folder = TinyTensorBackbone.Create(server.ModelRepository, name, TextManifest("vocab.txt"));
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(folder, "vocab.txt"))) await mkfifo.WaitForExitAsync();

        await RefusedAsync(name, "text.vocabulary").WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task LoadBackbone_VocabularyOver16MiB_InvalidArgument()
    {
        var name = NewName();
        var folder = TinyTensorBackbone.Create(server.ModelRepository, name, TextManifest("vocab.txt"));
        using (var vocabulary = File.Create(Path.Combine(folder, "vocab.txt"))) vocabulary.SetLength(16 * 1024 * 1024 + 1);

        await RefusedAsync(name, "text.vocabulary");
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/etc/passwd")]
    public async Task LoadBackbone_ModelSymlinkPointsOutside_InvalidArgument(string target)
    {
        var name = NewName();
        var folder = TinyTensorBackbone.Create(server.ModelRepository, name);
        File.Delete(Path.Combine(folder, "model.onnx"));
        File.CreateSymbolicLink(Path.Combine(folder, "model.onnx"), target);

        await RefusedAsync(name, "model");
    }

    [Fact]
    public async Task LoadBackbone_ManifestSymlinkPointsOutside_InvalidArgument()
    {
        var name = NewName();
        var folder = TinyTensorBackbone.Create(server.ModelRepository, name);
        File.Delete(Path.Combine(folder, "backbone.json"));
        File.CreateSymbolicLink(Path.Combine(folder, "backbone.json"), "/etc/passwd");

        await RefusedAsync(name, "backbone.json");
    }

    [Fact]
    public async Task LoadBackbone_ModelOverTheConfiguredCap_InvalidArgument()
    {
        var data = Path.Combine(Path.GetTempPath(), $"transfer-cap-{Guid.NewGuid():N}");
        try
        {
            await using var own = await TestServer.StartAsync(data, new Dictionary<string, string?>
            {
                ["Backbones:Preload"] = "",
                ["Backbones:MaxModelBytes"] = "100",
            });
            TinyTensorBackbone.Create(Path.Combine(data, "models"), "tiny-capped");
            var backbones = new BackboneService.BackboneServiceClient(own.Channel);

            var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
                () => backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = "tiny-capped" }).ResponseAsync, "model");
            Assert.Contains("limit is 100", message);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task LoadBackbone_ModelIsNotOnnx_RefusedWithoutAServerPath()
    {
        var name = NewName();
        var folder = TinyTensorBackbone.Create(server.ModelRepository, name);
        File.WriteAllText(Path.Combine(folder, "model.onnx"), "not a model");

        var message = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => _backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = name }).ResponseAsync, "model");

        Assert.Contains("model.onnx", message);
        Assert.DoesNotContain(server.DataFolder, message);
    }
}
