using TransferService.Core.Errors;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Jobs;

/// <summary>A job this process has claimed and runs: the <see cref="IJobContext"/> its handler sees, its latest snapshot
/// (with progress reported since the last store write), and <see cref="Stopped"/>, cancelled when the job is cancelled
/// or its claim is lost. Owned by the runner's worker that claimed it.</summary>
internal sealed class JobContext(JobRecord claimed, IJobStore store, JobChanges changes) : IJobContext
{
    private readonly Lock _gate = new();
    /// <summary>Never disposed: it has no timer and is linked to nothing, and a late cancel must not throw.</summary>
    private readonly CancellationTokenSource _stop = new();
    private JobInfo _info = claimed.Info;
    private bool _progressUnwritten;

    public string JobId => claimed.Info.Id;
    public string Tenant => claimed.Info.Tenant;
    public WorkTag Tag { get; } = new(claimed.Info.Tenant, claimed.Info.Priority);
    public string Payload => claimed.Payload;
    public string? Checkpoint { get; private set; } = claimed.Checkpoint;
    public int Attempt => claimed.Info.Attempts;
    public long Fence => claimed.Fence;

    public JobInfo Info
    {
        get { lock (_gate) return _info; }
    }

    public CancellationToken Stopped => _stop.Token;

    /// <summary>The run's telemetry, told of every progress report; set by the run before the handler starts.</summary>
    public JobTrace? Trace { get; set; }
    public bool CancelRequested { get; private set; }
    public bool LeaseLost { get; private set; }

    public void Report(JobProgress progress)
    {
        Trace?.Report(progress);
        lock (_gate)
        {
            _info = _info with { Progress = progress };
            _progressUnwritten = true;
        }
        changes.Notify(JobId);
    }

    public Task CommitCheckpointAsync(string checkpoint, JobProgress progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!store.CommitCheckpoint(JobId, Fence, checkpoint, progress))
        {
            LoseLease();
            throw new TransferException(ErrorCode.Aborted, $"job {JobId} was claimed by another owner; this run stops without publishing");
        }
        Checkpoint = checkpoint;
        lock (_gate) _info = _info with { Progress = progress };
        changes.Notify(JobId);
        return Task.CompletedTask;
    }

    /// <summary>The progress reported since the last call, or null when there is none to write.</summary>
    public JobProgress? TakeUnwrittenProgress()
    {
        lock (_gate)
        {
            if (!_progressUnwritten) return null;
            _progressUnwritten = false;
            return _info.Progress;
        }
    }

    public void RequestCancel()
    {
        CancelRequested = true;
        _stop.Cancel();
    }

    public void LoseLease()
    {
        LeaseLost = true;
        _stop.Cancel();
    }
}
