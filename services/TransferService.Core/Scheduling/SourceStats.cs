namespace TransferService.Core.Scheduling;

/// <summary>What a lane has learnt about one source from its recent items and batches. Not thread-safe: the lane's lock
/// guards it.</summary>
internal sealed class SourceStats(int maxBatchSize)
{
    public ArrivalRate Arrivals { get; } = new();

    public BatchGains Gains { get; } = new(maxBatchSize);

    /// <summary>Recent device seconds per item; 0 until a batch has run.</summary>
    public double SecondsPerItem { get; private set; }

    public void Ran(IReadOnlyList<LaneWork> batch, double seconds)
    {
        var share = seconds / batch.Count;
        SecondsPerItem = SecondsPerItem > 0 ? 0.8 * SecondsPerItem + 0.2 * share : share;
        Gains.Ran(batch.Count, batch.Max(w => w.Length), seconds);
    }
}
