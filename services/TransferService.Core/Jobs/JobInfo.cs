using TransferService.Core.Errors;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Jobs;

/// <summary>A snapshot of one job, owned by <see cref="Tenant"/>. <see cref="Result"/> names what a succeeded job
/// made (e.g. "head v3"). <see cref="Attempts"/> counts the runs started (a restart after a crash starts another).</summary>
public sealed record JobInfo(string Id, string Tenant, string Kind, JobState State, JobProgress Progress, string Result,
    TransferException? Error, DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished)
{
    public Priority Priority { get; init; } = Priority.Normal;
    public int Attempts { get; init; }
    public string? IdempotencyKey { get; init; }

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
