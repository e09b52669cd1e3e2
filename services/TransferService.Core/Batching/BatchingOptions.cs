namespace TransferService.Core.Batching;

/// <summary>Dynamic batching: a batch closes when it holds as many items as its backbone gains from (at most the max
/// batch size), or when its first item has waited <see cref="MaxDelay"/>; it waits at all only while recent arrivals
/// predict another item within that window, so a lone call on an idle lane runs at once. How much may wait is the lane
/// scheduler's (Scheduling:MaxQueuedItems).</summary>
public sealed record BatchingOptions
{
    public const string Section = "Batching";

    /// <summary>The longest the first item of a batch waits for more (the batch window); 0 never waits.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(2);
}
