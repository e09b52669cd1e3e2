using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Errors;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Backbones;

public sealed class BackboneRegistryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("registry-tests").FullName;
    private readonly FakeRuntime _runtime = new();
    private readonly FakeTimeProvider _time = new();

    public BackboneRegistryTests()
    {
        FakeBackbones.Write(_root, "tiny");
        foreach (var name in new[] { "a", "b", "c" }) FakeBackbones.Write(_root, name, modelBytes: 100);
        FakeBackbones.Write(_root, "huge", modelBytes: 101);
    }

    /// <summary>The fake clock orders uses for least-recently-used; the lanes run on real time.</summary>
    private BackboneRegistry Registry(bool loadOnDemand = true, long laneBudget = long.MaxValue) =>
        FakeBackbones.Registry(_root, _runtime, _runtime.Schedulers, loadOnDemand, laneBudget, _time);

    /// <summary>Holds the lane: nothing runs on it until the returned turn is disposed.</summary>
    private static IDisposable Hold(FakeRuntime runtime, string lane) => runtime.Schedulers[lane].Enter(WorkTag.System, default);

    private static async Task<float> EmbedAsync(BackboneRegistry registry, string name, float value)
    {
        var loaded = await registry.GetForInferenceAsync(name, "backbone", default);
        return (await new LeastLoadedScheduler(registry).EmbedAsync(loaded, new FakeInput(value), WorkTag.System, default))[0];
    }

    [Fact]
    public async Task GetForInference_NotLoadedAndOnDemandOff_FailedPrecondition()
    {
        await using var registry = Registry(loadOnDemand: false);

        var error = await Assert.ThrowsAsync<TransferException>(() => registry.GetForInferenceAsync("tiny", "backbone", default));

        Assert.Equal((ErrorCode.FailedPrecondition, "backbone"), (error.Code, error.Field));
    }

    [Fact]
    public async Task GetForInference_NotLoadedAndOnDemandOn_LoadsOnOneLane()
    {
        await using var registry = Registry();

        var loaded = await registry.GetForInferenceAsync("tiny", "backbone", default);

        Assert.Equal(["cpu"], loaded.Lanes);
        Assert.Equal(BackboneState.Ready, registry.Get("tiny").State);
    }

    [Fact]
    public async Task Load_RoomOnEveryLane_LoadsOnEveryLaneWithItsFootprint()
    {
        await using var registry = Registry();

        var loaded = await registry.LoadAsync("a", default);

        Assert.Equal(["cpu", "cpu:1"], loaded.Lanes);
        Assert.Equal(100, registry.Get("a").FootprintBytes);
    }

    [Fact]
    public async Task Load_RuntimeHoldingThreeCopiesOfTheWeights_FootprintCountsEach()
    {
        var runtime = new FakeRuntime { Copies = 3 };
        await using var schedulers = runtime.Schedulers;
        await using var registry = FakeBackbones.Registry(_root, runtime, runtime.Schedulers, loadOnDemand: true, long.MaxValue, _time);

        await registry.LoadAsync("a", default);

        Assert.Equal(300, registry.Get("a").FootprintBytes);
    }

    [Fact]
    public async Task Unload_Loaded_DisposesItsSessions()
    {
        await using var registry = Registry();
        await registry.LoadAsync("tiny", default);

        var info = await registry.UnloadAsync("tiny", default);

        Assert.Equal(BackboneState.Available, info.State);
        Assert.All(_runtime.Sessions, s => Assert.True(s.Disposed));
    }

    [Fact]
    public async Task Unload_ItemsQueued_EveryAcceptedItemCompletesFirst()
    {
        await using var registry = Registry();
        await registry.LoadAsync("tiny", default);
        var held = _runtime.Lanes.Select(l => Hold(_runtime, l)).ToArray();
        var pending = Enumerable.Range(1, 6).Select(i => EmbedAsync(registry, "tiny", i)).ToArray();

        var unload = registry.UnloadAsync("tiny", default);
        await Task.Delay(50);
        Assert.False(unload.IsCompleted);
        foreach (var turn in held) turn.Dispose();

        Assert.Equal(new[] { 1f, 2, 3, 4, 5, 6 }, await Task.WhenAll(pending));
        Assert.Equal(BackboneState.Available, (await unload).State);
    }

    [Fact]
    public async Task Load_UnknownName_NotFound()
    {
        await using var registry = Registry();

        var error = await Assert.ThrowsAsync<TransferException>(() => registry.LoadAsync("absent", default));

        Assert.Equal(ErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task Load_BudgetFitsOnePerLane_EvictsTheLeastRecentlyUsedIdleCopy()
    {
        await using var registry = Registry(laneBudget: 100);
        await registry.LoadAsync("a", default);                 // a on cpu and cpu:1
        _time.Advance(TimeSpan.FromSeconds(1));
        await registry.LoadAsync("b", default);                 // b replaces a on cpu
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2f, await EmbedAsync(registry, "b", 2));    // b used after a

        await registry.LoadAsync("c", default);

        Assert.Equal(["cpu"], registry.Get("b").Lanes);
        Assert.Equal(["cpu:1"], registry.Get("c").Lanes);
        var evicted = registry.Get("a");
        Assert.Equal((BackboneState.Ready, 0), (evicted.State, evicted.Lanes.Count));
        Assert.Equal(2, _runtime.Sessions.Count(s => s.Disposed));
    }

    [Fact]
    public async Task Embed_EveryCopyEvicted_PlacedAgainOnDemandAndItsCountKept()
    {
        await using var registry = Registry(laneBudget: 100);
        await registry.LoadAsync("a", default);
        _time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 3; i++) await EmbedAsync(registry, "a", i);
        _time.Advance(TimeSpan.FromSeconds(1));
        await registry.LoadAsync("b", default);
        _time.Advance(TimeSpan.FromSeconds(1));
        await registry.LoadAsync("c", default);
        Assert.Empty(registry.Get("a").Lanes);

        Assert.Equal(7f, await EmbedAsync(registry, "a", 7));

        var again = registry.Get("a");
        Assert.Equal((1, 4L), (again.Lanes.Count, again.ItemsEmbedded));
    }

    [Fact]
    public async Task Embed_OnlyLaneHeldByABusyCopy_ResourceExhaustedAndTheBusyCopyKeepsServing()
    {
        var runtime = new FakeRuntime("cpu");
        await using var registry = FakeBackbones.Registry(_root, runtime, runtime.Schedulers, laneBudget: 100);
        await registry.LoadAsync("a", default);
        var held = Hold(runtime, "cpu");
        var queued = EmbedAsync(registry, "a", 5);

        var error = await Assert.ThrowsAsync<TransferException>(() => EmbedAsync(registry, "b", 1));

        Assert.Equal((ErrorCode.ResourceExhausted, "backbone"), (error.Code, error.Field));
        held.Dispose();
        Assert.Equal(5f, await queued);
        Assert.Equal(["cpu"], registry.Get("a").Lanes);
    }

    [Fact]
    public async Task Load_BiggerThanEveryLaneBudget_ResourceExhaustedNamingTheNameAndFailed()
    {
        await using var registry = Registry(laneBudget: 100);

        var error = await Assert.ThrowsAsync<TransferException>(() => registry.LoadAsync("huge", default));

        Assert.Equal((ErrorCode.ResourceExhausted, "name"), (error.Code, error.Field));
        Assert.Equal(BackboneState.Failed, registry.Get("huge").State);
        Assert.Empty(_runtime.Sessions);
    }

    [Fact]
    public async Task Embed_ServingLaneBackedUp_SpreadsToTheOtherLaneWhichServesWhileTheFirstIsStuck()
    {
        await using var registry = Registry();
        var loaded = await registry.GetForInferenceAsync("tiny", "backbone", default);
        var held = Hold(_runtime, "cpu");
        var stuck = Enumerable.Range(0, 2 * loaded.Manifest.MaxBatchSize).Select(i => EmbedAsync(registry, "tiny", i)).ToArray();

        var spreadTrigger = EmbedAsync(registry, "tiny", -1);
        for (var i = 0; i < 200 && loaded.Lanes.Count < 2; i++) await Task.Delay(10);

        Assert.Equal(["cpu", "cpu:1"], loaded.Lanes);
        Assert.Equal(9f, await EmbedAsync(registry, "tiny", 9).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.All(stuck, t => Assert.False(t.IsCompleted));
        held.Dispose();
        await Task.WhenAll(stuck.Append(spreadTrigger));
        Assert.Equal(2 * loaded.Manifest.MaxBatchSize + 2, registry.Get("tiny").ItemsEmbedded);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
