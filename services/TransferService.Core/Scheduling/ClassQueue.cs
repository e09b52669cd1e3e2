namespace TransferService.Core.Scheduling;

/// <summary>One priority class on one lane: a queue per tenant and weighted fair share between them (start-time fair
/// queuing: the backlogged tenant with the least virtual time goes next). Not thread-safe: the lane's lock guards it.</summary>
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
}
