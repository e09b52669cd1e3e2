namespace TransferService.Core.Embeddings;

/// <summary>One call's share of the process-wide <see cref="PreparationBudget"/>: the call waits for its own
/// items to come back before it takes more than its share, so one large call cannot hold the whole budget.
/// Owned by the call; holds nothing to dispose (every byte is released as its item completes).</summary>
public sealed class PreparationShare(PreparationBudget process, long bytes, TimeProvider time)
{
    private readonly PreparationBudget _own = new(Math.Min(bytes, process.Capacity), Timeout.InfiniteTimeSpan, time);

    /// <summary>Waits for room in this call's share, then in the process budget. The call's own wait is not
    /// bounded: its items in flight always come back.</summary>
    public async ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        await _own.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false);
        try
        {
            await process.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _own.Release(bytes);
            throw;
        }
    }

    /// <summary>Makes the <paramref name="reserved"/> bytes held for an item match what it turned out to hold.</summary>
    public void Settle(long reserved, long actual)
    {
        if (actual < reserved) Release(reserved - actual);
        else if (actual > reserved)
        {
            _own.Overdraw(actual - reserved);
            process.Overdraw(actual - reserved);
        }
    }

    public void Release(long bytes)
    {
        process.Release(bytes);
        _own.Release(bytes);
    }
}
