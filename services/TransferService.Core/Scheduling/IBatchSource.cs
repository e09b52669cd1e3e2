namespace TransferService.Core.Scheduling;

/// <summary>What a lane's scheduler batches items for: one backbone on one lane.</summary>
internal interface IBatchSource
{
    int MaxBatchSize { get; }

    /// <summary>True once the source takes no more items: what it has queued runs without waiting for a fuller batch.</summary>
    bool Draining { get; }

    /// <summary>Runs one batch synchronously on the lane's worker and completes every item, with an embedding or an error.</summary>
    void Run(IReadOnlyList<LaneWork> batch);
}
