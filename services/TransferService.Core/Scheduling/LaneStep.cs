namespace TransferService.Core.Scheduling;

/// <summary>What a lane's worker does next: grant a turn, run a batch of one source, or wait (for more items to fill a
/// batch, at most <see cref="Wait"/>, or for any work when nothing is queued).</summary>
internal readonly record struct LaneStep(LaneTurn? Turn, IBatchSource? Source, List<LaneWork>? Batch, TimeSpan Wait)
{
    public bool Runs => Turn is not null || Batch is not null;
}
