namespace TransferService.Core.Placement;

/// <summary>A device lane and the memory its backbone copies may hold together, in bytes.</summary>
public sealed record LaneBudget(string Lane, long MemoryBytes);
