using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Batching;

public sealed class DynamicBatcherTests : IAsyncLifetime
{
    private static readonly BackboneManifest Manifest = new()
    {
        Name = "fake", Modality = Modality.Tensor, Output = "y", Dimension = 2, MaxBatchSize = 4,
        Tensor = new TensorSpec { Input = "x", Shape = [1] },
    };
    private static readonly WorkTag Caller = WorkTag.Interactive("a");

    private readonly List<IAsyncDisposable> _owned = [];
    private LaneScheduler _lane = null!;

    private DynamicBatcher Batcher(FakeSession session, TimeProvider time, SchedulingOptions? options = null, int maxDelayMs = 50)
    {
        _lane = new LaneScheduler("cpu", options ?? new SchedulingOptions(), TimeSpan.FromMilliseconds(maxDelayMs), time, NullLogger.Instance);
        _owned.Add(_lane);
        var batcher = new DynamicBatcher(session, _lane, Manifest, NullLogger.Instance);
        _owned.Insert(0, batcher);
        return batcher;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned) await owned.DisposeAsync();
    }

    [Fact]
    public async Task Enqueue_TenItemsAtOnce_RunsFullBatchesAndAnswersEachItsOwn()
    {
        var session = new FakeSession("cpu");
        var batcher = Batcher(session, TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => batcher.EnqueueAsync(new FakeInput(i), Caller, default)));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => new float[] { i, i }), results);
        Assert.All(session.BatchSizes, size => Assert.InRange(size, 1, 4));
        Assert.Equal(10, session.BatchSizes.Sum());
    }

    [Fact]
    public async Task Enqueue_SingleItemOnAnIdleLane_RunsWithoutWaitingForTheWindow()
    {
        var time = new FakeTimeProvider();
        var session = new FakeSession("cpu");
        var batcher = Batcher(session, time);

        // The virtual clock never moves: the item can only complete if nothing waits for the 50 ms window.
        var embedding = await batcher.EnqueueAsync(new FakeInput(7), Caller, default).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(new float[] { 7, 7 }, embedding);
        Assert.Equal([1], session.BatchSizes);
    }

    [Fact]
    public async Task Enqueue_ArrivalsCloserThanTheWindow_WaitsForTheWindowToFillABatch()
    {
        var time = new FakeTimeProvider();
        var session = new FakeSession("cpu");
        var batcher = Batcher(session, time);
        // A history of arrivals 1 ms apart, queued while the lane is held.
        var held = await _lane.EnterAsync(WorkTag.System, default);
        var earlier = new List<Task<float[]>>();
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            earlier.Add(batcher.EnqueueAsync(new FakeInput(i), Caller, default));
        }
        held.Dispose();
        await Task.WhenAll(earlier).WaitAsync(TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromMilliseconds(1));
        var first = batcher.EnqueueAsync(new FakeInput(10), Caller, default);
        await Task.Delay(100);
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var second = batcher.EnqueueAsync(new FakeInput(11), Caller, default);
        await Task.Delay(100);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(50));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([4, 2], session.BatchSizes);
    }

    [Fact]
    public async Task Enqueue_BiggerBatchesSlowerPerItem_BatchSizeFollowsWhatTheDeviceGains()
    {
        var time = new FakeTimeProvider();
        FakeSession session = null!;
        // A device where one item takes 10 ms and every bigger batch 20 ms an item: batches of one are the fastest.
        session = new FakeSession("cpu")
        {
            OnRun = () => time.Advance(TimeSpan.FromMilliseconds(session.BatchSizes[^1] == 1 ? 10 : 20 * session.BatchSizes[^1])),
        };
        var batcher = Batcher(session, time, maxDelayMs: 0);

        async Task RunHeld(int count)
        {
            var held = await _lane.EnterAsync(WorkTag.System, default);
            var items = Enumerable.Range(0, count).Select(i => batcher.EnqueueAsync(new FakeInput(i), Caller, default)).ToArray();
            held.Dispose();
            await Task.WhenAll(items).WaitAsync(TimeSpan.FromSeconds(5));
        }

        await RunHeld(4);   // nothing measured: a full batch
        await RunHeld(1);   // a single item: faster per item
        await RunHeld(4);   // batches of two are probed once, found slower, then single items run

        Assert.Equal([4, 1, 2, 1, 1], session.BatchSizes);
    }

    [Fact]
    public async Task Enqueue_CancelledWhileQueued_IsDroppedWithoutAModelRun()
    {
        var session = new FakeSession("cpu");
        var batcher = Batcher(session, TimeProvider.System, maxDelayMs: 0);
        using var cancelled = new CancellationTokenSource();
        var held = await _lane.EnterAsync(WorkTag.System, default);

        var first = batcher.EnqueueAsync(new FakeInput(1), Caller, default);
        var dropped = batcher.EnqueueAsync(new FakeInput(2), Caller, cancelled.Token);
        cancelled.Cancel();
        held.Dispose();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropped);
        Assert.Equal([1], session.BatchSizes);
        Assert.Equal(1, batcher.ItemsEmbedded);
        Assert.Equal(0, batcher.QueuedItems);
    }

    [Fact]
    public async Task Enqueue_ClassQueueFull_ResourceExhaustedWithRetryDelayAndOtherClassesStillAccepted()
    {
        var options = new SchedulingOptions { MaxQueuedItems = new() { [Priority.Interactive] = 2 } };
        var batcher = Batcher(new FakeSession("cpu"), TimeProvider.System, options);
        var held = await _lane.EnterAsync(new WorkTag("a", Priority.Low), default);

        var accepted = new[] { batcher.EnqueueAsync(new FakeInput(1), Caller, default), batcher.EnqueueAsync(new FakeInput(2), Caller, default) };
        var error = Assert.Throws<TransferException>(() => { _ = batcher.EnqueueAsync(new FakeInput(3), Caller, default); });
        var background = batcher.EnqueueAsync(new FakeInput(4), new WorkTag("a", Priority.Low), default);
        held.Dispose();

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.NotNull(error.RetryAfter);
        Assert.InRange(error.RetryAfter.Value, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60));
        Assert.Equal(2, (await Task.WhenAll(accepted)).Length);
        Assert.Equal(new float[] { 4, 4 }, await background);
    }

    [Fact]
    public async Task Enqueue_MixedLengthTexts_BatchesSimilarLengthsTogether()
    {
        var session = new FakeSession("cpu");
        var batcher = Batcher(session, TimeProvider.System, maxDelayMs: 0);
        var held = await _lane.EnterAsync(WorkTag.System, default);
        // Queued while the lane is held: two short, two long, interleaved, then two more short.
        int[] lengths = [10, 200, 12, 210, 11, 9];
        var results = lengths.Select((n, i) => batcher.EnqueueAsync(Text(i, n), Caller, default)).ToArray();
        held.Dispose();
        await Task.WhenAll(results);

        var batches = session.Batches.Select(b => b.Select(v => lengths[(int)v]).ToArray()).ToArray();
        Assert.All(batches, b => Assert.True(b.Max() <= 2 * b.Min(), $"batch of lengths {string.Join(", ", b)}"));
        Assert.Equal([9, 10, 11, 12], batches[0].Order());
        var (padded, slots) = batcher.TokenSlots;
        Assert.InRange(padded / (double)slots, 0, 0.25);
    }

    private static FakeInput Text(int index, int tokens) => new(index) { Report = new InputReport(tokens, false) };
}
