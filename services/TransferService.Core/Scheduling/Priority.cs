namespace TransferService.Core.Scheduling;

/// <summary>Who goes first on a device lane: interactive calls, then jobs by their class. Lower runs first.</summary>
public enum Priority
{
    Interactive = 0,
    High = 1,
    Normal = 2,
    Low = 3,
}
