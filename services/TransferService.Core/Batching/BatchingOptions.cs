namespace TransferService.Core.Batching;

/// <summary>Dynamic batching: a batch closes when it holds the backbone's max batch size or when its
/// first item has waited <see cref="MaxDelay"/>. How much may wait is the lane scheduler's (Scheduling:MaxQueuedItems).</summary>
public sealed record BatchingOptions
{
    public const string Section = "Batching";

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(2);
}
