using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Backbones;

public sealed class BackboneRegistryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("registry-tests").FullName;
    private readonly FakeRuntime _runtime = new();

    public BackboneRegistryTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "tiny"));
        File.WriteAllText(Path.Combine(_root, "tiny", "backbone.json"),
            """{ "modality": "tensor", "output": "y", "dimension": 2, "tensor": { "input": "x", "shape": [1] } }""");
    }

    private BackboneRegistry Registry(bool loadOnDemand) => new(new ModelRepository(_root), _runtime,
        new BackboneOptions { LoadOnDemand = loadOnDemand }, _runtime.Schedulers, NullLoggerFactory.Instance);

    [Fact]
    public async Task GetForInference_NotLoadedAndOnDemandOff_FailedPrecondition()
    {
        await using var registry = Registry(loadOnDemand: false);

        var error = await Assert.ThrowsAsync<TransferException>(() => registry.GetForInferenceAsync("tiny", "backbone", default));

        Assert.Equal((ErrorCode.FailedPrecondition, "backbone"), (error.Code, error.Field));
    }

    [Fact]
    public async Task GetForInference_NotLoadedAndOnDemandOn_LoadsOnEveryLane()
    {
        await using var registry = Registry(loadOnDemand: true);

        var loaded = await registry.GetForInferenceAsync("tiny", "backbone", default);

        Assert.Equal(["cpu", "cpu:1"], loaded.Lanes);
        Assert.Equal(BackboneState.Ready, registry.Get("tiny").State);
    }

    [Fact]
    public async Task Unload_Loaded_DisposesItsSessions()
    {
        await using var registry = Registry(loadOnDemand: true);
        await registry.LoadAsync("tiny", default);

        var info = await registry.UnloadAsync("tiny", default);

        Assert.Equal(BackboneState.Available, info.State);
        Assert.All(_runtime.Sessions, s => Assert.True(s.Disposed));
    }

    [Fact]
    public async Task Load_UnknownName_NotFound()
    {
        await using var registry = Registry(loadOnDemand: true);

        var error = await Assert.ThrowsAsync<TransferException>(() => registry.LoadAsync("absent", default));

        Assert.Equal(ErrorCode.NotFound, error.Code);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
