namespace TransferService.Core.Placement;

/// <summary>How backbones are placed on lanes. Built by the host from the <c>Lanes</c> configuration section, where the
/// device names and budgets live.</summary>
public sealed record PlacementOptions
{
    /// <summary>The lanes in configuration order, each with its memory budget.</summary>
    public required IReadOnlyList<LaneBudget> Lanes { get; init; }

    /// <summary>A copy's estimated footprint is its model file's bytes times this factor (see <see cref="BackboneFootprint"/>).</summary>
    public double FootprintFactor { get; init; } = 2;

    /// <summary>A backbone spreads to another lane when the lane serving it holds at least this many of the backbone's
    /// full batches of queued items (of any backbone), and another lane has free room for it.</summary>
    public double SpreadQueuedBatches { get; init; } = 2;
}
