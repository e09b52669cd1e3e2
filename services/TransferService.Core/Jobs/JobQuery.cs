namespace TransferService.Core.Jobs;

/// <summary>One page of a job listing, newest first. Null filters match everything (<see cref="Tenant"/> null: every
/// tenant, for admins). <see cref="PageToken"/> is one the store returned for the same filters, or null for the first page.</summary>
public sealed record JobQuery(string? Tenant, JobState? State = null, string? Kind = null, int PageSize = 100, string? PageToken = null);
