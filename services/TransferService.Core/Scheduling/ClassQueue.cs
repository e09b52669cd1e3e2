namespace TransferService.Core.Scheduling;

/// <summary>One priority class on one lane: a queue per tenant, weighted fair share between them (start-time fair
/// queuing: the backlogged tenant with the least virtual time goes next), and the choice of what the class runs next.
/// Not thread-safe: the lane's lock guards it.</summary>
internal sealed class ClassQueue(Func<string, double> weight)
{
    private readonly Dictionary<string, TenantQueue> _tenants = new(StringComparer.Ordinal);
    private double _clock;

    public int Count { get; private set; }

    public void Add(LaneWork work)
    {
        var tenant = work.Tag.Tenant;
        if (!_tenants.TryGetValue(tenant, out var queue)) _tenants[tenant] = queue = new TenantQueue(tenant, weight(tenant));
        // A tenant that was idle starts level with the class: idle time is not saved up as credit against the others.
        if (queue.Work.Count == 0) queue.VirtualTime = Math.Max(queue.VirtualTime, _clock);
        work.Node = queue.Work.AddLast(work);
        Count++;
    }

    /// <summary>False when the work had already left the queue.</summary>
    public bool Remove(LaneWork work)
    {
        if (work.Node is not { List: { } list } node) return false;
        list.Remove(node);
        work.Node = null;
        Count--;
        return true;
    }

    /// <summary>The backlogged tenants, the one owed the most device time first (ties: the oldest head of line).
    /// Moves the class's clock to the first one's virtual time.</summary>
    public List<TenantQueue> Backlogged()
    {
        var order = _tenants.Values.Where(t => t.Work.Count > 0)
            .OrderBy(t => t.VirtualTime).ThenBy(t => t.Work.First!.Value.Enqueued).ToList();
        if (order.Count > 0) _clock = order[0].VirtualTime;
        return order;
    }

    public void Charge(string tenant, double seconds)
    {
        if (_tenants.TryGetValue(tenant, out var queue)) queue.VirtualTime += seconds / queue.Weight;
    }

    public IEnumerable<LaneWork> All() => _tenants.Values.SelectMany(t => t.Work);

    /// <summary>What this class runs next, or null when it has nothing queued: the next tenant's oldest work, as a turn,
    /// or as a batch of at most <paramref name="batchSize"/> items of its source (or a wait, as long as
    /// <paramref name="window"/> says for a batch that is not full, unless <paramref name="flush"/>). Drops work whose
    /// token has fired.</summary>
    public LaneStep? Next(Func<IBatchSource, int> batchSize, Func<IBatchSource, LaneWork, TimeSpan> window, SchedulingOptions options, bool flush)
    {
        while (Count > 0)
        {
            var tenants = Backlogged();
            var head = tenants[0].Work.First!.Value;
            if (Dropped(head)) continue;
            if (head.Source is not { } source)
            {
                Remove(head);
                return new LaneStep((LaneTurn)head, null, null, TimeSpan.Zero);
            }
            var size = batchSize(source);
            if (Candidates(tenants, source, size) is not { } candidates) continue;
            if (candidates.Count < size && !source.Draining && !flush && window(source, head) is var wait && wait > TimeSpan.Zero)
                return new LaneStep(null, null, null, wait);
            var batch = options.GroupTextByLength && head.Length > 0
                ? TokenLengthGroups.Choose(head, candidates, size, options.MaxPaddingFraction)
                : candidates.Take(size).ToList();
            foreach (var item in batch) Remove(item);
            return new LaneStep(null, source, batch, TimeSpan.Zero);
        }
        return null;
    }

    /// <summary>The queued items of <paramref name="source"/>, the next tenant's first, up to four batches' worth (what
    /// token-length grouping picks from); null when it dropped a cancelled one, so the caller looks again. Items of
    /// every tenant in the class may share a batch (throughput): each item's tenant is charged its share of the batch's
    /// time, so the fair share holds either way.</summary>
    private List<LaneWork>? Candidates(List<TenantQueue> tenants, IBatchSource source, int batchSize)
    {
        var candidates = new List<LaneWork>();
        foreach (var tenant in tenants)
        foreach (var item in tenant.Work)
        {
            if (candidates.Count == batchSize * 4) return candidates;
            if (item.Source != source) continue;
            if (Dropped(item)) return null;
            candidates.Add(item);
        }
        return candidates;
    }

    private bool Dropped(LaneWork work)
    {
        if (!work.CancellationToken.IsCancellationRequested) return false;
        Remove(work);
        work.Abandon(null);
        return true;
    }
}
