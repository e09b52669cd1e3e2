namespace TransferService.Core.Scheduling;

/// <summary>Whether a batch that is not full waits for more items (the adaptive batch window). It waits only where
/// waiting can fill it: while the window (Batching:MaxDelay, from its first item's arrival) is open, the source's recent
/// arrivals predict another item before it closes, and some of them came while the lane had work (so there is more than
/// one caller at a time). An item that arrives on an idle lane, from callers that come slower than the window or one at a
/// time, runs at once: waiting would add the window to its latency and gain no batch.</summary>
internal sealed class BatchWindow(TimeSpan maxDelay, TimeProvider time)
{
    public TimeSpan MaxDelay => maxDelay;

    /// <summary>How long the batch whose first item arrived at <paramref name="firstArrival"/> should wait for more;
    /// zero: run it now.</summary>
    public TimeSpan Wait(ArrivalRate arrivals, long firstArrival)
    {
        var remaining = maxDelay - time.GetElapsedTime(firstArrival);
        return remaining > TimeSpan.Zero && arrivals.Overlapping && arrivals.ExpectedGap < remaining ? remaining : TimeSpan.Zero;
    }
}
