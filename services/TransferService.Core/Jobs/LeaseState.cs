namespace TransferService.Core.Jobs;

/// <summary>What a heartbeat found: the claim still holds (and whether a cancel was asked for), or a newer claim exists.</summary>
public enum LeaseState
{
    Held,
    CancelRequested,
    Lost,
}
