using Microsoft.Extensions.Logging;
using TransferService.Core.Telemetry;

namespace TransferService.Core.Scheduling;

/// <summary>One <see cref="LaneScheduler"/> per device lane of the process. A singleton; owns the schedulers and
/// disposes them after everything that queues on them (the backbone registry) has been disposed.</summary>
public sealed class LaneSchedulers : IAsyncDisposable
{
    private readonly Dictionary<string, LaneScheduler> _lanes;

    /// <param name="maxDelay">The batch window: how long a batch's first item waits for more (Batching:MaxDelay).</param>
    public LaneSchedulers(IEnumerable<string> lanes, SchedulingOptions options, TimeSpan maxDelay, TimeProvider time, ILoggerFactory loggers,
        TransferMetrics? metrics = null)
    {
        var logger = loggers.CreateLogger<LaneScheduler>();
        _lanes = lanes.ToDictionary(l => l, l => new LaneScheduler(l, options, maxDelay, time, logger, metrics), StringComparer.Ordinal);
        metrics?.ObserveLanes(_lanes.Values);
        Options = options;
    }

    public SchedulingOptions Options { get; }

    public LaneScheduler this[string lane] =>
        _lanes.TryGetValue(lane, out var scheduler) ? scheduler : throw new KeyNotFoundException($"no scheduler for lane '{lane}'");

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes.Values) await lane.DisposeAsync().ConfigureAwait(false);
    }
}
