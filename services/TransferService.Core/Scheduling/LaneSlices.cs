namespace TransferService.Core.Scheduling;

/// <summary>A training run's way onto its lane: the run's synchronous loop enters a slice, takes steps until
/// <see cref="Done"/> (or runs one validation pass) and disposes it, so the lane's scheduler can put interactive work,
/// or another tenant's, between two slices.</summary>
public sealed class LaneSlices(LaneScheduler lane, WorkTag tag)
{
    public WorkTag Tag { get; } = tag;

    public int StepsPerSlice { get; } = Math.Max(1, lane.Options.TrainingSliceSteps);

    /// <summary>True once a slice entered at <paramref name="started"/> (a <see cref="Now"/> timestamp) has taken
    /// <paramref name="steps"/> steps: its step limit, or its time is up (every slice takes at least one step).</summary>
    public bool Done(int steps, long started) =>
        steps >= StepsPerSlice || (steps > 0 && lane.Time.GetElapsedTime(started) >= lane.Options.TrainingSliceDuration);

    public long Now => lane.Time.GetTimestamp();

    /// <summary>Blocks until the lane is this run's; the caller disposes the turn when the slice is done.</summary>
    public LaneTurn Enter(CancellationToken cancellationToken) => lane.Enter(Tag, cancellationToken);
}
