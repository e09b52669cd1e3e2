namespace TransferService.Core.Jobs;

/// <summary>A job as the store keeps it: what clients see (<see cref="Info"/>), the handler's input and last durable
/// checkpoint, and the claim on it. <see cref="Fence"/> grows by one on every claim; a write made under an older
/// fence is refused.</summary>
public sealed record JobRecord(JobInfo Info, string Payload)
{
    public string? Checkpoint { get; init; }
    /// <summary>A cancel was asked for while the job ran; it survives a restart.</summary>
    public bool CancelRequested { get; init; }
    /// <summary>Not claimed before this (a retry's backoff).</summary>
    public DateTimeOffset? NotBefore { get; init; }
    public string? Owner { get; init; }
    public DateTimeOffset? LeaseExpires { get; init; }
    public long Fence { get; init; }
    /// <summary>The W3C traceparent of the call that submitted the job (null when it was not traced): every run's span
    /// links to it, also after a restart.</summary>
    public string? TraceParent { get; init; }
}
