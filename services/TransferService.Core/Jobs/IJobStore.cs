using TransferService.Core.Errors;

namespace TransferService.Core.Jobs;

/// <summary>Durable jobs, behind a contract that assumes no particular database: the embedded engine is SQLite; a
/// shared one (PostgreSQL, <c>FOR UPDATE SKIP LOCKED</c>) lets several replicas share the work. Each method is one
/// atomic step, committed durably before it returns.
/// <para>Claims: <see cref="ClaimNext"/> gives a runnable job to one owner with a lease (expiry) and a fencing number
/// that grows on every claim. Every write made under a claim names its fence and is refused (false, or
/// <see cref="LeaseState.Lost"/>) once a newer claim exists, so an owner that stalled past its lease cannot overwrite
/// the work of the one that took the job over.</para>
/// <para>Calls are synchronous: each is one short statement batch, and both engines' drivers offer it.</para></summary>
public interface IJobStore
{
    /// <summary>Adds <paramref name="job"/> (Queued, no claim) unless the tenant already has a job with its idempotency
    /// key (returned instead, also under concurrent submissions) or already has <paramref name="maxActivePerTenant"/>
    /// jobs queued or running (refused).</summary>
    JobSubmitted Submit(JobRecord job, int maxActivePerTenant);

    JobRecord? Get(string id);

    /// <summary>InvalidArgument on <c>page_token</c> for a token this store did not issue.</summary>
    JobPage List(JobQuery query);

    /// <summary>Claims the most urgent runnable job (priority class, then submission order): a Queued one past its
    /// not-before, or a Running one whose lease expired (its owner is gone). Attempts grow by one. Before choosing, an
    /// expired Running job that already had <paramref name="maxAttempts"/> attempts is Failed (it kept taking its owner
    /// down), and one with a cancel request is Cancelled. Null when nothing is runnable.</summary>
    JobRecord? ClaimNext(string owner, DateTimeOffset now, TimeSpan lease, int maxAttempts);

    /// <summary>Makes the leases of owners that are provably dead expire now, so their jobs are claimable at once
    /// instead of after their lease; returns how many. What is provable is the engine's business (see its docs).</summary>
    int ExpireDeadOwners(DateTimeOffset now);

    /// <summary>Extends the claim to <paramref name="leaseExpires"/> and, when given, records <paramref name="progress"/>.</summary>
    LeaseState Heartbeat(string id, long fence, DateTimeOffset leaseExpires, JobProgress? progress);

    bool CommitCheckpoint(string id, long fence, string checkpoint, JobProgress progress);

    /// <summary>Ends the claimed job: Succeeded with <paramref name="result"/>, or Failed with <paramref name="error"/>, or Cancelled.</summary>
    bool Finish(string id, long fence, JobState state, JobProgress progress, string result, TransferException? error, DateTimeOffset now);

    /// <summary>Puts the claimed job back in the queue after a run that failed with <paramref name="error"/>, runnable
    /// again from <paramref name="notBefore"/> (the retry's backoff). The run counts as an attempt.</summary>
    bool Requeue(string id, long fence, DateTimeOffset notBefore, TransferException error);

    /// <summary>Puts the claimed job back in the queue, runnable at once, without counting the run as an attempt: its
    /// owner stopped it (shutdown), the job did nothing wrong. (A rolling restart must not use up a long job's attempts.)</summary>
    bool Release(string id, long fence);

    /// <summary>Cancels a Queued job at once; marks a Running one as asked to cancel (its owner stops it). A finished
    /// job is returned unchanged. Null for an unknown id.</summary>
    JobRecord? RequestCancel(string id, DateTimeOffset now);

    /// <summary>Jobs queued or running, by kind and state (for the jobs gauge).</summary>
    IReadOnlyList<(string Kind, JobState State, int Count)> CountActive();
}
