namespace TransferService.Core.Jobs;

/// <summary>Runs background jobs, each owned by a tenant: another tenant's job answers NotFound exactly like an
/// unknown id. The in-process runner implements it now; the durable scheduler will.</summary>
public interface IJobRunner
{
    /// <summary>Queues <paramref name="work"/>; it reports progress, stops when its token is cancelled, and returns a
    /// result description. ResourceExhausted when <paramref name="tenant"/> already has its quota of active jobs.</summary>
    JobInfo Submit(string tenant, string kind, Func<IProgress<JobProgress>, CancellationToken, Task<string>> work);

    /// <summary>NotFound for an unknown id or another tenant's job.</summary>
    JobInfo Get(string id, string tenant);

    /// <summary>The job's snapshots: the current one, then each change, ending after the final state.</summary>
    IAsyncEnumerable<JobInfo> WatchAsync(string id, string tenant, CancellationToken cancellationToken);

    /// <summary>A queued job ends Cancelled at once; a running one is told to stop and ends Cancelled when its work
    /// next checks its token. FailedPrecondition for a finished job, NotFound as <see cref="Get"/>.</summary>
    JobInfo Cancel(string id, string tenant);
}
