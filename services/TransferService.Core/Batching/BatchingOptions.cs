namespace TransferService.Core.Batching;

/// <summary>Dynamic batching: a batch closes when it holds the backbone's max batch size or when its
/// first item has waited <see cref="MaxDelay"/>.</summary>
public sealed record BatchingOptions
{
    public const string Section = "Batching";

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(2);
    /// <summary>Items waiting per backbone and lane; beyond it a request is refused with ResourceExhausted.</summary>
    public int MaxQueuedItems { get; init; } = 4096;
}
