using TransferService.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Core.Tests.Embeddings;

/// <summary>The pipeline against a tensor backbone whose items take 4 bytes, with a share of three items and both lanes
/// held shut, so items stay in flight until the test opens them; the parallel tests make preparing slow.</summary>
public sealed class EmbeddingPipelineBudgetTests : IAsyncLifetime
{
    private const long ShareOfThreeItems = 3 * sizeof(float);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-tests").FullName;
    private readonly CountingRuntime _runtime = new();
    private readonly PreparationBudget _budget = new(1000, TimeSpan.FromSeconds(10), TimeProvider.System);
    private BackboneRegistry _registry = null!;

    public Task InitializeAsync()
    {
        FakeBackbones.Write(_root, "tiny");
        _registry = FakeBackbones.Registry(_root, _runtime, _runtime.Schedulers);
        return Task.CompletedTask;
    }

    private EmbeddingPipeline Pipeline(long share = ShareOfThreeItems, int parallel = 2) => new(_registry, new LeastLoadedScheduler(_registry),
        new EmbeddingLimits { MaxPreparedBytesPerRequest = share, MaxParallelPreparations = parallel }, _budget, TimeProvider.System);

    private static EmbeddingInput[] Inputs(params float[] values) =>
        values.Select(v => (EmbeddingInput)new TensorInput([1], new[] { v })).ToArray();

    private LaneTurn[] _held = [];

    /// <summary>Holds every lane with a turn of the service's own, which runs before any item queued after it.</summary>
    private void CloseLanes() => _held = _runtime.Lanes.Select(l => _runtime.Schedulers[l].Enter(WorkTag.System, default)).ToArray();

    private void OpenLanes()
    {
        foreach (var turn in _held) turn.Dispose();
    }

    /// <summary>Waits (up to 10 s) until at least this many items were prepared: on a busy machine the pool may take a while.</summary>
    private async Task PreparedAtLeastAsync(int count)
    {
        for (var i = 0; i < 500 && _runtime.Prepared < count; i++) await Task.Delay(20);
    }

    private async Task BudgetSettlesAsync()
    {
        for (var i = 0; i < 100 && _budget.Available != _budget.Capacity; i++) await Task.Delay(20);
        Assert.Equal(_budget.Capacity, _budget.Available);
    }

    [Fact]
    public async Task Embed_LanesBusy_PreparesOnlyWhatItsShareHolds()
    {
        await _registry.LoadAsync("tiny", default);
        CloseLanes();

        var call = Pipeline().EmbedAsync("tiny", Inputs(Enumerable.Range(0, 10).Select(i => (float)i).ToArray()), false, WorkTag.System, default);
        await PreparedAtLeastAsync(3);
        await Task.Delay(200);
        Assert.Equal(3, _runtime.Prepared);
        Assert.Equal(1000 - ShareOfThreeItems, _budget.Available);
        OpenLanes();

        var result = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(i => new float[] { i, i }), result.Embeddings);
        Assert.Equal(10, _runtime.Prepared);
        await BudgetSettlesAsync();
    }

    [Fact]
    public async Task Embed_CancelledWhileWaitingForItsShare_PreparesNothingMore()
    {
        await _registry.LoadAsync("tiny", default);
        CloseLanes();
        using var cancel = new CancellationTokenSource();

        var call = Pipeline().EmbedAsync("tiny", Inputs(Enumerable.Range(0, 10).Select(i => (float)i).ToArray()), false, WorkTag.System, cancel.Token);
        await PreparedAtLeastAsync(3);
        await Task.Delay(200);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        OpenLanes();
        await BudgetSettlesAsync();
        Assert.Equal(3, _runtime.Prepared);
    }

    [Fact]
    public async Task Embed_BadItemAfterQueuedOnes_InvalidArgumentNamingItAndBudgetReturned()
    {
        var error = await Assert.ThrowsAsync<TransferException>(() => Pipeline().EmbedAsync("tiny", Inputs(0, 1, -1, 3, 4), false, WorkTag.System, default));

        Assert.Equal((ErrorCode.InvalidArgument, "inputs[2].tensor.values"), (error.Code, error.Field));
        // Items after the bad one may have been prepared alongside it (in parallel), never queued.
        Assert.InRange(_runtime.Prepared, 3, 5);
        await BudgetSettlesAsync();
    }

    [Fact]
    public async Task Embed_ItemLargerThanTheShare_ResourceExhaustedBeforeAnyPreparation()
    {
        var error = await Assert.ThrowsAsync<TransferException>(() => Pipeline(share: 2).EmbedAsync("tiny", Inputs(1), false, WorkTag.System, default));

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.Equal(0, _runtime.Prepared);
    }

    [Fact]
    public async Task Embed_LaterInputsPreparedFirst_AnswersInInputOrder()
    {
        // Whichever input starts first waits (up to 10 s) until a second one is being prepared beside it, so the test does
        // not depend on the pool having a second thread free at once (on a busy machine, or when one thread took the
        // queued inputs one after another); a pipeline that prepared one input at a time fails the range below.
        _runtime.Preparing = value =>
        {
            SpinWait.SpinUntil(() => _runtime.MostAtOnce >= 2, TimeSpan.FromSeconds(10));
            SlowlyPrepare(value);
        };
        var values = Enumerable.Range(0, 8).Select(i => (float)i).ToArray();

        var result = await Pipeline(share: 1000, parallel: 4).EmbedAsync("tiny", Inputs(values), false, WorkTag.System, default);

        Assert.Equal(values.SelectMany(v => new[] { v, v }), result.Embeddings);
        Assert.InRange(_runtime.MostAtOnce, 2, 4);
    }

    [Fact]
    public async Task Embed_ShareOfTwoItems_NeverPreparesMoreThanTwoAtOnce()
    {
        SlowPreparation();
        var result = await Pipeline(share: 2 * sizeof(float), parallel: 8).EmbedAsync("tiny", Inputs(0, 1, 2, 3, 4, 5), false, WorkTag.System, default);

        Assert.Equal(12, result.Embeddings.Length);
        Assert.InRange(_runtime.MostAtOnce, 1, 2);
        await BudgetSettlesAsync();
    }

    /// <summary>Single-input calls and stream items are prepared on their callers' threads, but within the same
    /// process-wide number of preparations at once as the parallel path: the decoders' bitmaps are bounded by it.</summary>
    [Fact]
    public async Task EmbedAndEmbedOne_ManyConcurrentSingleItems_NeverMorePreparationsAtOnceThanTheSlots()
    {
        SlowPreparation();
        var pipeline = Pipeline(share: 1000, parallel: 2);
        var share = pipeline.CreateShare();

        // Enough pool threads for all eight callers at once (the pool starts with one per core, which would bound them).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => i % 2 == 0
                ? (Task)pipeline.EmbedAsync("tiny", Inputs(i), false, WorkTag.System, default)
                : pipeline.EmbedOneAsync("tiny", Inputs(i)[0], false, "input", share, WorkTag.System, default))));
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, io);
        }

        Assert.Equal(8, _runtime.Prepared);
        Assert.InRange(_runtime.MostAtOnce, 1, 2);
        await BudgetSettlesAsync();
    }

    [Fact]
    public async Task Embed_BadInputAmongParallelOnes_FirstBadInOrderNamedAndBudgetReturned()
    {
        SlowPreparation();
        var error = await Assert.ThrowsAsync<TransferException>(() =>
            Pipeline(share: 1000, parallel: 4).EmbedAsync("tiny", Inputs(0, 1, -1, 3, -2, 5), false, WorkTag.System, default));

        Assert.Equal((ErrorCode.InvalidArgument, "inputs[2].tensor.values"), (error.Code, error.Field));
        await BudgetSettlesAsync();
    }

    [Fact]
    public async Task Embed_CancelledWhilePreparing_ThrowsCancelledAndStartsNoMorePreparations()
    {
        SlowPreparation();
        using var cancel = new CancellationTokenSource();
        var call = Pipeline(share: 1000, parallel: 2).EmbedAsync("tiny", Inputs(Enumerable.Repeat(0f, 40).ToArray()), false, WorkTag.System, cancel.Token);
        // Cancel once preparing has begun (a fixed delay was not enough on a loaded machine: nothing had started).
        await PreparedAtLeastAsync(1);
        await Task.Delay(100);
        cancel.Cancel();
        var startedAtCancel = _runtime.Prepared;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        var startedWhenItEnded = _runtime.Prepared;
        await Task.Delay(400);

        // At most the two running when the token fired had started unseen; nothing starts after the call has ended.
        Assert.InRange(startedWhenItEnded, startedAtCancel, startedAtCancel + 2);
        Assert.InRange(startedWhenItEnded, 1, 39);
        Assert.Equal(startedWhenItEnded, _runtime.Prepared);
        await BudgetSettlesAsync();
    }

    /// <summary>(10 − value) × 20 ms of a thread per item: a call's later inputs are ready first.</summary>
    private void SlowPreparation() => _runtime.Preparing = SlowlyPrepare;

    /// <summary>Earlier inputs take longer, so later ones finish first.</summary>
    private static void SlowlyPrepare(float value) => Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(0, 10 - value) * 20));

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
