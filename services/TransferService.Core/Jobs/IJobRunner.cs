namespace TransferService.Core.Jobs;

/// <summary>Runs background jobs. The in-process runner implements it now; the durable scheduler will.</summary>
public interface IJobRunner
{
    /// <summary>Queues <paramref name="work"/>; it reports progress and returns a result description.</summary>
    JobInfo Submit(string kind, Func<IProgress<JobProgress>, CancellationToken, Task<string>> work);

    /// <summary>NotFound for an unknown id.</summary>
    JobInfo Get(string id);

    /// <summary>The job's snapshots: the current one, then each change, ending after the final state.</summary>
    IAsyncEnumerable<JobInfo> WatchAsync(string id, CancellationToken cancellationToken);
}
