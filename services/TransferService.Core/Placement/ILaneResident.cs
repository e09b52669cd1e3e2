namespace TransferService.Core.Placement;

/// <summary>What the placement policy needs to know of one backbone copy on one lane.</summary>
public interface ILaneResident
{
    string Backbone { get; }
    string Lane { get; }
    /// <summary>Estimated memory the copy holds on its lane (see <see cref="BackboneFootprint"/>).</summary>
    long FootprintBytes { get; }
    /// <summary>Items waiting or running on this copy: the lane's load, and what makes a copy busy (never evicted).</summary>
    int QueuedItems { get; }
    /// <summary>When the copy last took an item or was loaded (<see cref="TimeProvider.GetTimestamp"/>): eviction goes
    /// least recently used first.</summary>
    long LastUsed { get; }
}
