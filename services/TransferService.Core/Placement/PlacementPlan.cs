namespace TransferService.Core.Placement;

/// <summary>Where to load a backbone: the lane, and the idle copies to unload first (least recently used first) so
/// that it fits within the lane's budget. Empty <see cref="Evict"/>: the lane has the room already.</summary>
public sealed record PlacementPlan(string Lane, IReadOnlyList<ILaneResident> Evict);
