using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Errors;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Scheduling;

/// <summary>The lane's scheduler alone, with turns that stand for slices and a fake session for batches: what runs next
/// is asserted by the order things ran in, never by wall time.</summary>
public sealed class LaneSchedulerTests
{
    private static readonly BackboneManifest Manifest = new()
    {
        Name = "fake", Modality = Modality.Tensor, Output = "y", Dimension = 2, MaxBatchSize = 4,
        Tensor = new TensorSpec { Input = "x", Shape = [1] },
    };

    private static LaneScheduler Lane(SchedulingOptions? options = null, TimeProvider? time = null) =>
        new("cpu", options ?? new SchedulingOptions(), TimeSpan.Zero, time ?? TimeProvider.System, NullLogger.Instance);

    private static async Task Record(Task<LaneTurn> waiting, List<string> order, string name)
    {
        using var turn = await waiting;
        lock (order) order.Add(name);
    }

    [Fact]
    public async Task Enter_QueuedBehindARunningSlice_RunsInClassOrder()
    {
        await using var lane = Lane();
        var running = await lane.EnterAsync(new WorkTag("a", Priority.Low), default);
        var order = new List<string>();

        // Queued lowest class first, so arrival order is the opposite of the class order.
        var waiting = new[] { Priority.Low, Priority.Normal, Priority.High, Priority.Interactive }
            .Select(p => Record(lane.EnterAsync(new WorkTag("a", p), default), order, p.ToString())).ToArray();
        running.Dispose();
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["Interactive", "High", "Normal", "Low"], order);
    }

    [Fact]
    public async Task Enqueue_InteractiveItemQueuedBehindBackgroundSlices_RunsBeforeTheNextBackgroundSlice()
    {
        await using var lane = Lane();
        var order = new List<string>();
        var session = new FakeSession("cpu") { OnRun = () => { lock (order) order.Add("item"); } };
        await using var batcher = new DynamicBatcher(session, lane, Manifest, NullLogger.Instance);
        var running = await lane.EnterAsync(new WorkTag("trainer", Priority.Normal), default);

        var nextSlice = Record(lane.EnterAsync(new WorkTag("trainer", Priority.Normal), default), order, "slice");
        var otherSlice = Record(lane.EnterAsync(new WorkTag("extractor", Priority.Low), default), order, "low slice");
        var item = batcher.EnqueueAsync(new FakeInput(5), WorkTag.Interactive("caller"), default);
        running.Dispose();
        await Task.WhenAll(item, nextSlice, otherSlice).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["item", "slice", "low slice"], order);
        Assert.Equal([1], session.BatchSizes);
    }

    [Fact]
    public async Task Enqueue_BackgroundItemsOfAMeasuredSource_RunInBatchesThatFitTheBackgroundSlice()
    {
        var time = new FakeTimeProvider();
        await using var lane = Lane(new SchedulingOptions { BackgroundSliceDuration = TimeSpan.FromMilliseconds(100) }, time);
        FakeSession session = null!;
        // Every item costs 50 ms of device time: once measured, a 100 ms background slice holds two items.
        session = new FakeSession("cpu") { OnRun = () => time.Advance(TimeSpan.FromMilliseconds(50 * session.BatchSizes[^1])) };
        await using var batcher = new DynamicBatcher(session, lane, Manifest, NullLogger.Instance);

        async Task RunHeld(Priority priority)
        {
            var held = await lane.EnterAsync(new WorkTag("holder", Priority.Interactive), default);
            var items = Enumerable.Range(0, 4).Select(i => batcher.EnqueueAsync(new FakeInput(i), new WorkTag("job", priority), default)).ToArray();
            held.Dispose();
            await Task.WhenAll(items).WaitAsync(TimeSpan.FromSeconds(10));
        }

        await RunHeld(Priority.Low);          // not measured yet: a full batch
        await RunHeld(Priority.Low);          // 50 ms an item: two per slice
        await RunHeld(Priority.Interactive);  // interactive batches stay full-size

        Assert.Equal([4, 2, 2, 4], session.BatchSizes);
    }

    [Fact]
    public async Task Enqueue_OneCallerAtATimeFasterThanTheWindow_NeverWaitsForCompany()
    {
        // A one-second window on a clock that moves 1 ms between items: a batch that waited for company would wait
        // until the test gives up, since nothing moves the clock while it does. Each item is queued as soon as the last
        // one's answer is out, often before the lane's worker is back from that batch: that is no company either.
        var time = new FakeTimeProvider();
        await using var lane = new LaneScheduler("cpu", new SchedulingOptions(), TimeSpan.FromSeconds(1), time, NullLogger.Instance);
        var session = new FakeSession("cpu");
        await using var batcher = new DynamicBatcher(session, lane, Manifest, NullLogger.Instance);

        try
        {
            for (var i = 0; i < 32; i++)
            {
                await batcher.EnqueueAsync(new FakeInput(i), WorkTag.Interactive("caller"), default).WaitAsync(TimeSpan.FromSeconds(10));
                time.Advance(TimeSpan.FromMilliseconds(1));
            }
        }
        finally
        {
            time.Advance(TimeSpan.FromSeconds(1)); // ends a wait that should not have begun, so a failure does not hang
        }

        Assert.Equal(Enumerable.Repeat(1, 32), session.BatchSizes);
    }

    [Fact]
    public async Task Enter_TwoBackloggedTenantsWeighted1To3_GetDeviceTimeWithin10PercentOf1To3()
    {
        var time = new FakeTimeProvider();
        var options = new SchedulingOptions { TenantWeights = new() { ["a"] = 1, ["b"] = 3 } };
        await using var lane = Lane(options, time);
        var used = new Dictionary<string, double> { ["a"] = 0, ["b"] = 0 };
        var stop = false;

        // Slices of different lengths (a's cost twice b's), so a share by count would miss: the charge is device time.
        async Task Owner(string tenant, TimeSpan slice)
        {
            while (!Volatile.Read(ref stop))
            {
                using var turn = await lane.EnterAsync(new WorkTag(tenant, Priority.Normal), default);
                time.Advance(slice);
                lock (used)
                {
                    used[tenant] += slice.TotalMilliseconds;
                    if (used["a"] + used["b"] >= 4000) Volatile.Write(ref stop, true);
                }
            }
        }
        // Two owners per tenant, so each tenant always has a slice queued while one of its own runs.
        await Task.WhenAll(Owner("a", TimeSpan.FromMilliseconds(2)), Owner("a", TimeSpan.FromMilliseconds(2)),
            Owner("b", TimeSpan.FromMilliseconds(1)), Owner("b", TimeSpan.FromMilliseconds(1))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(used["b"] / used["a"], 2.7, 3.3);
    }

    [Fact]
    public async Task Enter_OwnerCancelledDuringItsSlice_LaneGoesToTheNextWaiterAfterThatSlice()
    {
        await using var lane = Lane();
        using var cancel = new CancellationTokenSource();
        var order = new List<string>();
        Task? waiter = null;
        var owner = Task.Run(async () =>
        {
            for (var slice = 1; ; slice++)
            {
                using var turn = await lane.EnterAsync(new WorkTag("a", Priority.Low), cancel.Token);
                lock (order) order.Add($"slice {slice}");
                if (slice < 3) continue;
                // Another tenant queues while the owner holds its third slice; then the owner is cancelled.
                waiter = Record(lane.EnterAsync(new WorkTag("b", Priority.Low), default), order, "waiter");
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => owner.WaitAsync(TimeSpan.FromSeconds(10)));
        await waiter!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["slice 1", "slice 2", "slice 3", "waiter"], order);
    }

    [Fact]
    public async Task Enter_ClassQueueFull_ResourceExhaustedWithRetryDelay()
    {
        await using var lane = Lane(new SchedulingOptions { MaxQueuedItems = new() { [Priority.Normal] = 1 } });
        var running = await lane.EnterAsync(new WorkTag("a", Priority.Normal), default);
        var queued = lane.EnterAsync(new WorkTag("a", Priority.Normal), default);

        var error = await Assert.ThrowsAsync<TransferException>(() => lane.EnterAsync(new WorkTag("b", Priority.Normal), default));
        running.Dispose();
        (await queued).Dispose();

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.True(error.RetryAfter > TimeSpan.Zero);
    }
}
