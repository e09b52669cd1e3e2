using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Batching;

public sealed class DynamicBatcherTests
{
    private static readonly BackboneManifest Manifest = new()
    {
        Name = "fake", Modality = Modality.Tensor, Output = "y", Dimension = 2, MaxBatchSize = 4,
        Tensor = new TensorSpec { Input = "x", Shape = [1] },
    };

    private static DynamicBatcher Batcher(FakeSession session, TimeProvider time, BatchingOptions? options = null) =>
        new(session, new SemaphoreSlim(1, 1), Manifest, options ?? new BatchingOptions { MaxDelay = TimeSpan.FromMilliseconds(50) },
            time, NullLogger.Instance);

    [Fact]
    public async Task Enqueue_TenItemsAtOnce_RunsFullBatchesAndAnswersEachItsOwn()
    {
        var session = new FakeSession("cpu");
        await using var batcher = Batcher(session, TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => batcher.EnqueueAsync(new FakeInput(i), default)));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => new float[] { i, i }), results);
        Assert.All(session.BatchSizes, size => Assert.InRange(size, 1, 4));
        Assert.Equal(10, session.BatchSizes.Sum());
    }

    [Fact]
    public async Task Enqueue_SingleItem_WaitsForMaxDelayBeforeRunning()
    {
        var time = new FakeTimeProvider();
        var session = new FakeSession("cpu");
        await using var batcher = Batcher(session, time);

        var result = batcher.EnqueueAsync(new FakeInput(7), default);
        await Task.Delay(100);
        Assert.False(result.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(60));

        var embedding = await result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new float[] { 7, 7 }, embedding);
        Assert.Equal([1], session.BatchSizes);
    }

    [Fact]
    public async Task Enqueue_CancelledBeforeItRuns_IsDroppedWithoutAModelRun()
    {
        var session = new FakeSession("cpu");
        var gate = new SemaphoreSlim(0, 1);
        await using var batcher = new DynamicBatcher(session, gate, Manifest, new BatchingOptions(), TimeProvider.System, NullLogger.Instance);
        using var cancelled = new CancellationTokenSource();

        var first = batcher.EnqueueAsync(new FakeInput(1), default);
        await Task.Delay(50);
        var dropped = batcher.EnqueueAsync(new FakeInput(2), cancelled.Token);
        cancelled.Cancel();
        gate.Release();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropped);
        Assert.Equal([1], session.BatchSizes);
    }

    [Fact]
    public async Task Enqueue_QueueFull_ResourceExhausted()
    {
        var gate = new SemaphoreSlim(0, 1);
        await using var batcher = new DynamicBatcher(new FakeSession("cpu"), gate, Manifest,
            new BatchingOptions { MaxQueuedItems = 2 }, TimeProvider.System, NullLogger.Instance);

        var accepted = new[] { batcher.EnqueueAsync(new FakeInput(1), default), batcher.EnqueueAsync(new FakeInput(2), default) };
        var error = Assert.Throws<TransferException>(() => { _ = batcher.EnqueueAsync(new FakeInput(3), default); });
        gate.Release();

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.Equal(2, (await Task.WhenAll(accepted)).Length);
    }
}
