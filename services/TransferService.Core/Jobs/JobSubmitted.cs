namespace TransferService.Core.Jobs;

/// <summary>What a submission did: <see cref="Created"/> a new job, or found the one with the same idempotency key
/// (<see cref="Job"/>), or refused it because the tenant already has <see cref="Active"/> jobs queued or running
/// (<see cref="Job"/> null).</summary>
public sealed record JobSubmitted(JobRecord? Job, bool Created, int Active);
