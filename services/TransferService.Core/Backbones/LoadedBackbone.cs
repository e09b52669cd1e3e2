using TransferService.Core.Placement;

namespace TransferService.Core.Backbones;

/// <summary>A backbone ready for inference: its preparer and the set of lanes it is loaded on, one
/// <see cref="BackboneInstance"/> each, which grows (a load, a spread) and shrinks (an eviction) while it serves.
/// It may hold no instance at all: its copies were unloaded to make room, and the next item places it again.
/// Owned by <see cref="BackboneRegistry"/>, which adds and removes instances and disposes them.</summary>
public sealed class LoadedBackbone(string name, BackboneManifest manifest, IInputPreparer preparer, string folder, long footprintBytes,
    LanePlacement placement, Func<IReadOnlyList<ILaneResident>> residents)
{
    private readonly object _lock = new();
    private BackboneInstance[] _instances = [];
    private readonly List<BackboneInstance> _draining = [];
    private long _itemsOfRemoved;
    private int _spreading;

    /// <summary>The registry's name for it: its folder in the model repository.</summary>
    public string Name { get; } = name;
    public BackboneManifest Manifest { get; } = manifest;
    public IInputPreparer Preparer { get; } = preparer;
    internal string Folder { get; } = folder;
    /// <summary>Estimated memory of one lane copy, charged against each lane's budget.</summary>
    public long FootprintBytes { get; } = footprintBytes;

    /// <summary>The instances serving now, in lane order. A snapshot: it does not change under the caller.</summary>
    public IReadOnlyList<BackboneInstance> Instances => Volatile.Read(ref _instances);
    public IReadOnlyList<string> Lanes => Instances.Select(i => i.Lane).ToArray();

    /// <summary>Set when the backbone was unloaded or replaced by a new version: its items are refused, not re-placed.</summary>
    public bool Unloaded { get; private set; }

    /// <summary>Items run through the model on all lanes since load, those of lanes it has since left included.</summary>
    public long ItemsEmbedded
    {
        get
        {
            lock (_lock) return _itemsOfRemoved + Instances.Sum(i => i.ItemsEmbedded) + _draining.Sum(i => i.ItemsEmbedded);
        }
    }

    /// <summary>The lane for work that stays on one lane (training a head, scoring with heads): the least-loaded lane
    /// holding this backbone, or the least-loaded lane of all when no lane holds it now.</summary>
    public string PickLane()
    {
        var all = residents();
        return placement.PickServing(Instances, all)?.Lane ?? placement.LeastLoadedLane(all);
    }

    /// <summary>The instance that takes the next item (see <see cref="LanePlacement.PickServing{T}"/>); null when none.</summary>
    internal BackboneInstance? PickInstance() => placement.PickServing(Instances, residents());

    internal void Add(BackboneInstance instance)
    {
        lock (_lock)
        {
            var lanes = placement.Lanes;
            _instances = _instances.Append(instance).OrderBy(i => IndexOf(lanes, i.Lane)).ToArray();
        }
    }

    /// <summary>Takes the instance out of service, drains it (every accepted item completes) and disposes it.</summary>
    internal async Task RemoveAsync(BackboneInstance instance)
    {
        lock (_lock)
        {
            instance.Retire();
            _instances = _instances.Where(i => i != instance).ToArray();
            _draining.Add(instance);
        }
        await instance.DisposeAsync().ConfigureAwait(false);
        lock (_lock)
        {
            _draining.Remove(instance);
            _itemsOfRemoved += instance.ItemsEmbedded;
        }
    }

    /// <summary>Marks the backbone unloaded and removes every instance.</summary>
    internal async Task UnloadAsync()
    {
        Unloaded = true;
        foreach (var instance in Instances) await RemoveAsync(instance).ConfigureAwait(false);
    }

    /// <summary>Claims the right to start a spread; one spread at a time per backbone.</summary>
    internal bool TryStartSpread() => Interlocked.CompareExchange(ref _spreading, 1, 0) == 0;

    internal void EndSpread() => Volatile.Write(ref _spreading, 0);

    internal BackboneInstanceInfo[] Describe() =>
        Instances.Select(i => new BackboneInstanceInfo(i.Lane, i.ItemsEmbedded, i.QueuedItems)).ToArray();

    private static int IndexOf(IReadOnlyList<string> lanes, string lane)
    {
        for (var i = 0; i < lanes.Count; i++)
            if (lanes[i] == lane) return i;
        return lanes.Count;
    }
}
