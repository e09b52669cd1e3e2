using TransferService.Core.Scheduling;

namespace TransferService.Core.Jobs;

/// <summary>A job as a client asks for it. <see cref="IdempotencyKey"/>: a second submission by the same tenant with the
/// same key returns the first job instead of making another.</summary>
public sealed record JobSubmission(string Tenant, string Kind, Priority Priority, string Payload, string? IdempotencyKey = null)
{
    public const int MaxIdempotencyKeyLength = 128;
}
