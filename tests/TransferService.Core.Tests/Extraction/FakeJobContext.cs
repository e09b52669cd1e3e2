using TransferService.Core.Errors;
using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Extraction;

/// <summary>A job context that keeps its checkpoint in memory and, to play a crash, throws at a chosen commit: that
/// commit never becomes durable, as when the process dies between writing a chunk and recording it.</summary>
internal sealed class FakeJobContext(string jobId, string payload, string? checkpoint = null, int crashAtCommit = 0) : IJobContext
{
    private int _commits;

    public string JobId => jobId;
    public string Tenant => "default";
    public WorkTag Tag => new("default", Priority.Normal);
    public string Payload => payload;
    public string? Checkpoint { get; private set; } = checkpoint;
    public int Attempt => 1;
    public List<JobProgress> Reports { get; } = [];

    public void Report(JobProgress progress) => Reports.Add(progress);

    public Task CommitCheckpointAsync(string checkpoint, JobProgress progress, CancellationToken cancellationToken)
    {
        if (++_commits == crashAtCommit) throw new TransferException(ErrorCode.Aborted, "the process died here");
        Checkpoint = checkpoint;
        return Task.CompletedTask;
    }
}
