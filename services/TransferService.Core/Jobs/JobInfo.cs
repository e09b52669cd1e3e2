using TransferService.Core.Errors;

namespace TransferService.Core.Jobs;

/// <summary>A snapshot of one job, owned by <see cref="Tenant"/>. <see cref="Result"/> names what a succeeded job
/// made (e.g. "head v3").</summary>
public sealed record JobInfo(string Id, string Tenant, string Kind, JobState State, JobProgress Progress, string Result,
    TransferException? Error, DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished)
{
    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
