using TransferService.Core.Scheduling;

namespace TransferService.Core.Jobs;

/// <summary>What a running job sees of itself and how it records progress and checkpoints.</summary>
public interface IJobContext
{
    string JobId { get; }
    string Tenant { get; }
    /// <summary>The tenant and priority class its device work runs under.</summary>
    WorkTag Tag { get; }
    /// <summary>The job's specification as submitted (JSON, the handler's own format).</summary>
    string Payload { get; }
    /// <summary>The last checkpoint this job committed, or null on its first run.</summary>
    string? Checkpoint { get; }
    /// <summary>1 on the first run, then one more for each time the job was claimed again.</summary>
    int Attempt { get; }

    /// <summary>Progress for watchers; kept in memory at once and written to the store now and then (not durable).</summary>
    void Report(JobProgress progress);

    /// <summary>Makes <paramref name="checkpoint"/> durable: once this returns, a restarted run starts from it. Throws
    /// <see cref="Errors.TransferException"/> with <see cref="Errors.ErrorCode.Aborted"/> when another owner has claimed the
    /// job since (fencing): the caller must stop without publishing.</summary>
    Task CommitCheckpointAsync(string checkpoint, JobProgress progress, CancellationToken cancellationToken);
}
