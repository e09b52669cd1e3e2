namespace TransferService.Core.Scheduling;

/// <summary>How each lane's scheduler shares the device: bounded queues per priority class, tenants' weights within a
/// class, the length of a training slice, and how text batches are grouped by token length.</summary>
public sealed record SchedulingOptions
{
    public const string Section = "Scheduling";
    public const int DefaultMaxQueuedItems = 4096;

    /// <summary>Most optimizer steps a training run takes per turn on the lane. A linear head on 384-dim embeddings takes
    /// about 0.2-0.5 ms a step on two CPU cores, an MLP on 512 dims several: <see cref="TrainingSliceDuration"/> ends a
    /// slice of slow steps sooner.</summary>
    public int TrainingSliceSteps { get; init; } = 32;

    /// <summary>A training slice ends after this long even with steps left (checked between steps): with the batch
    /// window, the longest an interactive item waits behind training.</summary>
    public TimeSpan TrainingSliceDuration { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>A job's embedding batch (any class but interactive) holds as many items as its backbone runs in about this
    /// long on the lane, judged from recent batches: with the batch window, the longest an interactive item waits behind
    /// background embedding. Zero: background batches are full-size.</summary>
    public TimeSpan BackgroundSliceDuration { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Share of the device within a priority class, per tenant; a tenant not listed weighs 1.</summary>
    public Dictionary<string, double> TenantWeights { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Work waiting per lane and priority class; beyond it a request is refused with ResourceExhausted and a
    /// retry delay. A class not listed takes <see cref="DefaultMaxQueuedItems"/>.</summary>
    public Dictionary<Priority, int> MaxQueuedItems { get; init; } = [];

    /// <summary>Batches texts of similar token counts together, so a short text does not pay for a long one's padding.</summary>
    public bool GroupTextByLength { get; init; } = true;

    /// <summary>Most padded token slots a grouped text batch may hold, as a fraction of all its slots.</summary>
    public double MaxPaddingFraction { get; init; } = 0.25;

    public double Weight(string tenant) => TenantWeights.TryGetValue(tenant, out var weight) ? weight : 1;

    public int MaxQueued(Priority priority) => MaxQueuedItems.TryGetValue(priority, out var limit) ? limit : DefaultMaxQueuedItems;
}
