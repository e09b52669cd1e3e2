using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Extraction;

/// <summary>A job context kept in memory, for the in-process runner: checkpoints last as long as the process.</summary>
internal sealed class LocalJobContext(string jobId, JobSubmission submission, IProgress<JobProgress> progress) : IJobContext
{
    public string JobId => jobId;
    public string Tenant => submission.Tenant;
    public WorkTag Tag => new(submission.Tenant, submission.Priority);
    public string Payload => submission.Payload;
    public string? Checkpoint { get; private set; }
    public int Attempt => 1;

    public void Report(JobProgress value) => progress.Report(value);

    public Task CommitCheckpointAsync(string checkpoint, JobProgress value, CancellationToken cancellationToken)
    {
        Checkpoint = checkpoint;
        progress.Report(value);
        return Task.CompletedTask;
    }
}
