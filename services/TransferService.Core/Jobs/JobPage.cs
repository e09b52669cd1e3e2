namespace TransferService.Core.Jobs;

/// <summary>Jobs of one page and the token of the next one (null after the last).</summary>
public sealed record JobPage(IReadOnlyList<JobRecord> Jobs, string? NextPageToken);
