namespace TransferService.Core.Scheduling;

/// <summary>A training run's way onto its lane: the run's synchronous loop enters a slice before at most
/// <see cref="StepsPerSlice"/> optimizer steps (or one validation pass) and disposes it after, so the lane's scheduler
/// can put interactive work, or another tenant's, between two slices.</summary>
public sealed class LaneSlices(LaneScheduler lane, WorkTag tag)
{
    public WorkTag Tag { get; } = tag;

    public int StepsPerSlice { get; } = Math.Max(1, lane.Options.TrainingSliceSteps);

    /// <summary>Blocks until the lane is this run's; the caller disposes the turn when the slice is done.</summary>
    public LaneTurn Enter(CancellationToken cancellationToken) => lane.Enter(Tag, cancellationToken);
}
