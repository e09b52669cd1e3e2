using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Embeddings;

public sealed class PreparationBudgetTests
{
    private readonly FakeTimeProvider _time = new();

    private PreparationBudget Budget(long capacity) => new(capacity, TimeSpan.FromSeconds(10), _time);

    [Fact]
    public async Task Acquire_WithinCapacity_CompletesAtOnce()
    {
        var budget = Budget(100);

        var acquire = budget.AcquireAsync(60, default);

        Assert.True(acquire.IsCompletedSuccessfully);
        await acquire;
        Assert.Equal(40, budget.Available);
    }

    [Fact]
    public async Task Acquire_MoreThanAvailable_WaitsUntilReleased()
    {
        var budget = Budget(100);
        await budget.AcquireAsync(60, default);

        var second = budget.AcquireAsync(60, default).AsTask();
        Assert.False(second.IsCompleted);
        budget.Release(60);

        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(40, budget.Available);
    }

    [Fact]
    public async Task Acquire_LargeWaiterFirst_NotOvertakenBySmallerOneBehindIt()
    {
        var budget = Budget(100);
        await budget.AcquireAsync(60, default);

        var large = budget.AcquireAsync(80, default).AsTask();
        var small = budget.AcquireAsync(10, default).AsTask();
        await Task.Delay(50);
        Assert.False(small.IsCompleted);
        budget.Release(60);

        await Task.WhenAll(large, small).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(10, budget.Available);
    }

    [Fact]
    public async Task Acquire_MoreThanCapacity_ResourceExhaustedAtOnce()
    {
        var budget = Budget(100);

        var error = await Assert.ThrowsAsync<TransferException>(() => budget.AcquireAsync(101, default).AsTask());

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.Equal(100, budget.Available);
    }

    [Fact]
    public async Task Acquire_WaitPastMaxWait_ResourceExhaustedAndTheNextWaiterIsServed()
    {
        var budget = Budget(100);
        await budget.AcquireAsync(60, default);
        var timedOut = budget.AcquireAsync(80, default).AsTask();
        _time.Advance(TimeSpan.FromSeconds(5));
        var behind = budget.AcquireAsync(30, default).AsTask();

        _time.Advance(TimeSpan.FromSeconds(6));

        var error = await Assert.ThrowsAsync<TransferException>(() => timedOut.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        await behind.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(10, budget.Available);
    }

    [Fact]
    public async Task Acquire_CancelledWhileWaiting_ThrowsAndHoldsNothing()
    {
        var budget = Budget(100);
        await budget.AcquireAsync(60, default);
        using var cancel = new CancellationTokenSource();
        var waiting = budget.AcquireAsync(80, cancel.Token).AsTask();

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        budget.Release(60);
        Assert.Equal(100, budget.Available);
    }

    [Fact]
    public async Task ShareAcquire_ProcessBudgetHasRoom_WaitsForItsOwnBytesFirst()
    {
        var process = Budget(1000);
        var share = new PreparationShare(process, 100, _time);
        await share.AcquireAsync(80, default);

        var over = share.AcquireAsync(30, default).AsTask();
        await Task.Delay(50);
        Assert.False(over.IsCompleted);
        Assert.Equal(920, process.Available);
        share.Release(80);

        await over.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(970, process.Available);
    }

    [Fact]
    public async Task ShareSettle_ItemSmallerThanReserved_ReturnsTheDifference()
    {
        var process = Budget(1000);
        var share = new PreparationShare(process, 100, _time);
        await share.AcquireAsync(100, default);

        share.Settle(reserved: 100, actual: 30);

        Assert.Equal(970, process.Available);
        Assert.True(share.AcquireAsync(70, default).IsCompletedSuccessfully);
    }
}
