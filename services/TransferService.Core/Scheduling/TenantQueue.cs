namespace TransferService.Core.Scheduling;

/// <summary>One tenant's waiting work in one priority class, oldest first, and its virtual time: device seconds
/// charged to it divided by its weight.</summary>
internal sealed class TenantQueue(string tenant, double weight)
{
    public string Tenant { get; } = tenant;
    public double Weight { get; } = weight;
    public double VirtualTime { get; set; }
    public LinkedList<LaneWork> Work { get; } = new();
}
