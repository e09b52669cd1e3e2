namespace TransferService.Core.Jobs;

/// <summary>Runs background jobs, each owned by a tenant: another tenant's job answers NotFound exactly like an
/// unknown id. Jobs are durable: they survive a restart (see <see cref="DurableJobRunner"/>).</summary>
public interface IJobRunner
{
    /// <summary>Queues a job for the handler of its kind (InvalidArgument on <c>kind</c> when there is none), or returns
    /// the tenant's job with the same idempotency key. ResourceExhausted when the tenant already has its quota of
    /// active jobs.</summary>
    JobInfo Submit(JobSubmission submission);

    /// <summary>NotFound for an unknown id or another tenant's job.</summary>
    JobInfo Get(string id, string tenant);

    /// <summary>A page of jobs, newest first (see <see cref="JobQuery"/>; the caller decides which tenants it may see).</summary>
    (IReadOnlyList<JobInfo> Jobs, string? NextPageToken) List(JobQuery query);

    /// <summary>The job's snapshots: the current one, then each change, ending after the final state.</summary>
    IAsyncEnumerable<JobInfo> WatchAsync(string id, string tenant, CancellationToken cancellationToken);

    /// <summary>A queued job ends Cancelled at once; a running one is told to stop and ends Cancelled when its work
    /// next checks its token. FailedPrecondition for a finished job, NotFound as <see cref="Get"/>.</summary>
    JobInfo Cancel(string id, string tenant);
}
