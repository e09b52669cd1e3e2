using TransferService.Core.Errors;

namespace TransferService.Core.Placement;

/// <summary>The placement policy: which lane serves a backbone's next item, where a backbone is loaded, what is
/// unloaded to make room, and when a busy backbone spreads to another lane. It only decides, from the copies it is
/// shown; <see cref="Backbones.BackboneRegistry"/> carries the decisions out. Thread-safe (it holds no state).</summary>
/// <remarks>A lane's load is the items queued on it for every backbone, since they share the device. Ties go to the
/// copy used least recently, so an idle service still sends concurrent items round the lanes.</remarks>
public sealed class LanePlacement(PlacementOptions options)
{
    public PlacementOptions Options => options;

    public IReadOnlyList<string> Lanes { get; } = options.Lanes.Select(l => l.Lane).ToArray();

    /// <summary>The copy that takes the next item: the one on the least-loaded lane. Null when there is none.</summary>
    public T? PickServing<T>(IReadOnlyList<T> copies, IReadOnlyList<ILaneResident> residents) where T : class, ILaneResident
    {
        T? best = null;
        var bestLoad = 0L;
        foreach (var copy in copies)
        {
            var load = LaneLoad(copy.Lane, residents);
            if (best is null || load < bestLoad || (load == bestLoad && copy.LastUsed < best.LastUsed)) (best, bestLoad) = (copy, load);
        }
        return best;
    }

    /// <summary>The least-loaded lane of all, in configuration order on a tie: where work goes that needs a lane but
    /// no copy (a head trained for a backbone whose copies were all unloaded).</summary>
    public string LeastLoadedLane(IReadOnlyList<ILaneResident> residents) =>
        Lanes.MinBy(lane => LaneLoad(lane, residents))!;

    /// <summary>Lanes that do not hold <paramref name="backbone"/> and have free room for it, least loaded first:
    /// where an explicit load puts it without unloading anything.</summary>
    public IReadOnlyList<string> LanesWithRoom(string backbone, long footprint, IReadOnlyList<ILaneResident> residents) =>
        options.Lanes
            .Where(l => !Holds(l.Lane, backbone, residents) && Free(l, residents) >= footprint)
            .OrderBy(l => LaneLoad(l.Lane, residents))
            .Select(l => l.Lane)
            .ToArray();

    /// <summary>A lane for one more copy of <paramref name="backbone"/>: the least-loaded lane that has free room, else
    /// the least-loaded one where unloading idle copies (least recently used first) makes room, on a tie the one whose
    /// evicted copies were used least recently. A copy with queued work is never unloaded. Throws ResourceExhausted naming <paramref name="field"/> when no lane can take it.</summary>
    public PlacementPlan PlanLoad(string backbone, long footprint, IReadOnlyList<ILaneResident> residents, string field)
    {
        if (LanesWithRoom(backbone, footprint, residents) is [var free, ..]) return new PlacementPlan(free, []);
        var largest = options.Lanes.Max(l => l.MemoryBytes);
        if (footprint > largest)
            throw new TransferException(ErrorCode.ResourceExhausted,
                $"backbone '{backbone}' needs an estimated {footprint} bytes per lane; the largest lane budget is {largest} bytes", field);
        PlacementPlan? best = null;
        (long Load, long NewestEvicted) bestRank = default;
        foreach (var lane in options.Lanes)
        {
            if (Holds(lane.Lane, backbone, residents) || lane.MemoryBytes < footprint) continue;
            var evict = Evictions(lane, footprint, residents);
            if (evict is null) continue;
            // Between equally loaded lanes, the one whose evicted copies were used least recently.
            var rank = (LaneLoad(lane.Lane, residents), evict.Select(r => r.LastUsed).DefaultIfEmpty(long.MinValue).Max());
            if (best is null || rank.CompareTo(bestRank) < 0) (best, bestRank) = (new PlacementPlan(lane.Lane, evict), rank);
        }
        return best ?? throw new TransferException(ErrorCode.ResourceExhausted,
            $"no lane has room for backbone '{backbone}' now: the memory of every lane that could hold it is taken by backbones with queued work; retry later",
            field);
    }

    /// <summary>Whether a backbone served from <paramref name="serving"/> should spread: the lane holds at least
    /// <see cref="PlacementOptions.SpreadQueuedBatches"/> of its batches, and another lane has free room for a copy
    /// (a spread never unloads anything). Returns that lane, or null.</summary>
    public string? SpreadTarget(ILaneResident serving, int maxBatchSize, IReadOnlyList<ILaneResident> residents)
    {
        if (LaneLoad(serving.Lane, residents) < options.SpreadQueuedBatches * maxBatchSize) return null;
        return LanesWithRoom(serving.Backbone, serving.FootprintBytes, residents) is [var lane, ..] ? lane : null;
    }

    private static IReadOnlyList<ILaneResident>? Evictions(LaneBudget lane, long footprint, IReadOnlyList<ILaneResident> residents)
    {
        var evict = new List<ILaneResident>();
        var free = Free(lane, residents);
        foreach (var idle in residents.Where(r => r.Lane == lane.Lane && r.QueuedItems == 0).OrderBy(r => r.LastUsed))
        {
            if (free >= footprint) break;
            evict.Add(idle);
            free += idle.FootprintBytes;
        }
        return free >= footprint ? evict : null;
    }

    private static long Free(LaneBudget lane, IReadOnlyList<ILaneResident> residents) =>
        lane.MemoryBytes - residents.Where(r => r.Lane == lane.Lane).Sum(r => r.FootprintBytes);

    private static bool Holds(string lane, string backbone, IReadOnlyList<ILaneResident> residents) =>
        residents.Any(r => r.Lane == lane && r.Backbone == backbone);

    private static long LaneLoad(string lane, IReadOnlyList<ILaneResident> residents)
    {
        var load = 0L;
        foreach (var resident in residents)
            if (resident.Lane == lane) load += resident.QueuedItems;
        return load;
    }
}
