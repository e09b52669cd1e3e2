using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TransferService.Core.Errors;
using TransferService.Core.Telemetry;

namespace TransferService.Core.Scheduling;

/// <summary>The one thing that decides what runs next on a device lane (Triton's per-instance thread with its rate
/// limiter): embedding batches of every backbone on the lane, training slices and head scoring all queue here. Its
/// worker runs one unit at a time: the highest priority class with work first; within a class the tenant owed the most
/// device time (weighted fair share); within a tenant the oldest. Background work comes in slices (one batch, or a
/// bounded number of training steps), so interactive work waits at most one slice. Owns its worker; disposing it
/// abandons whatever is still queued.</summary>
/// <remarks>The worker is a thread of its own, not a thread-pool loop: it blocks in ONNX Runtime for a whole batch, and a
/// pool thread held that long leaves the gRPC and client work of a small machine one thread short, waiting on the pool's
/// slow thread injection when it bursts. An enqueue wakes the worker directly through an event, and the batch window is
/// that event's timed wait, with no timer and no pool hop between.</remarks>
public sealed class LaneScheduler : IAsyncDisposable
{
    private static readonly int Classes = Enum.GetValues<Priority>().Length;
    private readonly Lock _lock = new();
    private readonly ClassQueue[] _classes;
    private readonly SchedulingOptions _options;
    private readonly BatchWindow _window;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<IBatchSource, int> _interactiveBatchSize;
    private readonly Func<IBatchSource, int> _backgroundBatchSize;
    private readonly Func<IBatchSource, LaneWork, TimeSpan> _batchWait;
    private readonly TransferMetrics? _metrics;
    private bool _stopping;
    // A unit is running and has not answered its callers yet, so an arrival now meets work on the lane.
    private volatile bool _running;
    // Recent device seconds per item, for the retry delay of a full queue; a first guess until a batch has run.
    private double _secondsPerItem = 0.01;
    // What the lane has learnt of each source (weak: an unloaded backbone's batcher leaves with its entry).
    private readonly ConditionalWeakTable<IBatchSource, SourceStats> _sources = [];

    /// <param name="maxDelay">How long the first item of a batch waits for more items before its batch runs anyway.</param>
    /// <param name="metrics">Where queue waits and batch sizes are recorded; none when null.</param>
    public LaneScheduler(string lane, SchedulingOptions options, TimeSpan maxDelay, TimeProvider time, ILogger logger, TransferMetrics? metrics = null)
    {
        Lane = lane;
        _metrics = metrics;
        Busy = new LaneBusyTime(time, BusyWindow);
        _options = options;
        _window = new BatchWindow(maxDelay, time);
        _time = time;
        _logger = logger;
        _classes = Enumerable.Range(0, Classes).Select(_ => new ClassQueue(options.Weight)).ToArray();
        _interactiveBatchSize = source => Stats(source).Gains.Cap;
        _backgroundBatchSize = BackgroundBatchSize;
        _batchWait = (source, first) => _window.Wait(Stats(source).Arrivals, first.Enqueued);
        // Not flowing the creator's execution context: the worker serves every caller, and belongs to none.
        new Thread(Work) { IsBackground = true, Name = $"lane {lane}" }.UnsafeStart();
    }

    public string Lane { get; }

    public SchedulingOptions Options => _options;

    public TimeProvider Time => _time;

    /// <summary>The window of <see cref="LaneBusyTime.Fraction"/>: long enough to smooth single batches, short enough to
    /// follow a burst.</summary>
    public static readonly TimeSpan BusyWindow = TimeSpan.FromSeconds(10);

    /// <summary>Time this lane spent running work.</summary>
    public LaneBusyTime Busy { get; }

    /// <summary>Work waiting (not running) in one priority class.</summary>
    public int QueuedIn(Priority priority)
    {
        lock (_lock) return _classes[(int)priority].Count;
    }

    /// <summary>Metrics of what runs on this lane, for the pieces that run it (batchers); null when not recorded.</summary>
    internal TransferMetrics? Metrics => _metrics;

    /// <summary>Work waiting (not running) in every class.</summary>
    public int Queued
    {
        get
        {
            lock (_lock) return _classes.Sum(c => c.Count);
        }
    }

    /// <summary>Waits for the lane and holds it until the returned turn is disposed. Throws
    /// <see cref="OperationCanceledException"/> when the token fires first, ResourceExhausted when the class's queue is full.</summary>
    public async Task<LaneTurn> EnterAsync(WorkTag tag, CancellationToken cancellationToken)
    {
        var turn = new LaneTurn(tag, cancellationToken);
        Enqueue(turn);
        await turn.Granted.ConfigureAwait(false);
        return turn;
    }

    /// <summary><see cref="EnterAsync"/> for a synchronous owner on a thread of its own (a training loop).</summary>
    public LaneTurn Enter(WorkTag tag, CancellationToken cancellationToken) =>
        EnterAsync(tag, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Queues work, or throws ResourceExhausted (with a retry delay) when its class's queue is full. Work whose
    /// token has already fired is abandoned at once, without being queued.</summary>
    internal void Enqueue(LaneWork work)
    {
        if (work.CancellationToken.IsCancellationRequested)
        {
            work.Abandon(null);
            return;
        }
        lock (_lock)
        {
            if (_stopping) throw new TransferException(ErrorCode.Unavailable, $"lane {Lane} is stopping");
            var queue = _classes[(int)work.Tag.Priority];
            var limit = _options.MaxQueued(work.Tag.Priority);
            if (queue.Count >= limit) throw Full(work.Tag.Priority, limit);
            work.Enqueued = _time.GetTimestamp();
            var laneHadWork = _running || _classes.Any(c => c.Count > 0);
            queue.Add(work);
            if (work.Source is { } source) Stats(source).Arrivals.Arrived(work.Enqueued, _time, _window.MaxDelay, laneHadWork);
            _wake.Set();
        }
        // After the lock: a token that fires during Register runs the callback inline, and it takes the lock.
        work.Registered(work.CancellationToken.UnsafeRegister(static state =>
        {
            var (lane, queued) = ((LaneScheduler, LaneWork))state!;
            lane.Cancel(queued);
        }, (this, work)));
    }

    /// <summary>Called by a batch's source when its run is over, before it answers the batch's callers: a caller answered
    /// now and coming straight back (one closed-loop caller) must not count as meeting work on the lane, whether or not
    /// the worker has got back to the lock yet.</summary>
    internal void Answering() => _running = false;

    /// <summary>Drops work whose caller gave up while it was queued: it never runs and costs no model run.</summary>
    private void Cancel(LaneWork work)
    {
        lock (_lock)
        {
            if (!_classes[(int)work.Tag.Priority].Remove(work)) return;
        }
        work.Abandon(null);
    }

    private TransferException Full(Priority priority, int limit)
    {
        var ahead = 0;
        for (var p = 0; p <= (int)priority; p++) ahead += _classes[p].Count;
        var delay = TimeSpan.FromSeconds(Math.Clamp(ahead * _secondsPerItem, 0.01, 60));
        return new TransferException(ErrorCode.ResourceExhausted,
            $"the {priority.ToString().ToLowerInvariant()} queue of lane {Lane} is full ({limit} items); retry in {delay.TotalSeconds:0.###} s")
        { RetryAfter = delay };
    }

    private void Work()
    {
        try
        {
            while (true)
            {
                LaneStep step;
                lock (_lock)
                {
                    step = NextLocked();
                    if (!step.Runs && _stopping) return;
                    // Reset under the lock: an Enqueue after it sets the event again, so no wake-up is lost.
                    if (!step.Runs) _wake.Reset();
                    _running = step.Runs;
                }
                if (step.Runs) RunUnit(step);
                else Sleep(step.Wait);
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void RunUnit(LaneStep step)
    {
        var started = _time.GetTimestamp();
        RecordWaits(step, started);
        try
        {
            if (step.Turn is { } turn)
            {
                turn.Taken();
                turn.Grant();
                turn.Released.Wait();
            }
            else
            {
                foreach (var item in step.Batch!) item.Taken();
                step.Source!.Run(step.Batch!);
            }
        }
        catch (Exception e)
        {
            // A source completes its items itself; anything reaching here is a bug, and the lane must go on.
            _logger.LogError(e, "Lane {Lane}: a unit of work failed outside its owner", Lane);
        }
        Charge(step, _time.GetElapsedTime(started));
    }

    /// <summary>Blocks until work is queued, or for at most <paramref name="wait"/> when it is positive (a batch window).</summary>
    private void Sleep(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            _wake.Wait();
            return;
        }
        if (_time == TimeProvider.System)
        {
            // Whole milliseconds, rounded up: rounding down would wake early and spin through the last fraction.
            _wake.Wait(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)));
            return;
        }
        // A virtual clock (tests) ends the wait through its own timer.
        using var timer = _time.CreateTimer(static e => ((ManualResetEventSlim)e!).Set(), _wake, wait, Timeout.InfiniteTimeSpan);
        _wake.Wait();
    }

    /// <summary>Records how long the step's work waited, and for each caller whose trace is sampled one queue-wait span
    /// (from its oldest item's arrival to now) under the caller's span. One span per caller and batch, not per item: a
    /// call of 64 inputs shows one wait, not 64.</summary>
    private void RecordWaits(LaneStep step, long started)
    {
        if (step.Turn is { } turn)
        {
            _metrics?.RecordQueueWait(Lane, turn.Tag.Priority, _time.GetElapsedTime(turn.Enqueued, started).TotalSeconds);
            return;
        }
        var batch = step.Batch!;
        _metrics?.RecordBatch(Lane, batch[0].Tag.Priority, batch.Count);
        Dictionary<ActivityContext, long>? oldest = null;
        foreach (var item in batch)
        {
            _metrics?.RecordQueueWait(Lane, item.Tag.Priority, _time.GetElapsedTime(item.Enqueued, started).TotalSeconds);
            if (!item.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)) continue;
            oldest ??= [];
            oldest[item.Parent] = oldest.TryGetValue(item.Parent, out var first) ? Math.Min(first, item.Enqueued) : item.Enqueued;
        }
        if (oldest is null || !TransferTelemetry.Source.HasListeners()) return;
        var now = _time.GetUtcNow();
        foreach (var (parent, enqueued) in oldest)
        {
            using var span = TransferTelemetry.Source.StartActivity(TransferTelemetry.QueueWait, ActivityKind.Internal, parent,
                startTime: now - _time.GetElapsedTime(enqueued, started));
            span?.SetTag(TransferTelemetry.Lane, Lane).SetTag(TransferTelemetry.Priority, TransferMetrics.PriorityName(batch[0].Tag.Priority))
                .SetEndTime(now.UtcDateTime);
        }
    }

    /// <summary>What runs next: the first class with work decides (work whose caller is gone is dropped there, before
    /// it costs a model run).</summary>
    private LaneStep NextLocked()
    {
        for (var c = 0; c < _classes.Length; c++)
        {
            var size = c == (int)Priority.Interactive ? _interactiveBatchSize : _backgroundBatchSize;
            if (_classes[c].Next(size, _batchWait, _options, flush: _stopping) is { } step) return step;
        }
        return default;
    }

    /// <summary>A background batch is a slice: as many items as the source runs in about
    /// <see cref="SchedulingOptions.BackgroundSliceDuration"/> (from its recent time per item), at least one, at most its
    /// max batch. So an interactive call that arrives while a job's batch runs waits a bounded time, whatever the device:
    /// on a GPU a full batch fits, on two CPU cores a few images do. Never more than the source gains from
    /// (<see cref="BatchGains.Cap"/>).</summary>
    private int BackgroundBatchSize(IBatchSource source)
    {
        var stats = Stats(source);
        if (_options.BackgroundSliceDuration <= TimeSpan.Zero || stats.SecondsPerItem <= 0) return stats.Gains.Cap;
        return (int)Math.Clamp(Math.Round(_options.BackgroundSliceDuration.TotalSeconds / stats.SecondsPerItem), 1, stats.Gains.Cap);
    }

    private SourceStats Stats(IBatchSource source) => _sources.GetValue(source, static s => new SourceStats(s.MaxBatchSize));

    /// <summary>Charges the device time a unit took to its tenants. Measured time is the one honest measure across
    /// units: a batch of long texts, a batch of images and a slice of training steps cost different amounts, and only
    /// the clock says how much. A batch's time is split evenly between its items: each was padded to the same shape.</summary>
    private void Charge(LaneStep step, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        Busy.Add(seconds);
        lock (_lock)
        {
            _running = false;
            if (step.Turn is { } turn)
            {
                _classes[(int)turn.Tag.Priority].Charge(turn.Tag.Tenant, seconds);
                return;
            }
            var share = seconds / step.Batch!.Count;
            foreach (var item in step.Batch) _classes[(int)item.Tag.Priority].Charge(item.Tag.Tenant, share);
            _secondsPerItem = 0.8 * _secondsPerItem + 0.2 * share;
            Stats(step.Source!).Ran(step.Batch, seconds);
        }
    }

    /// <summary>Abandons queued work (Unavailable) and waits for the unit that is running to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        List<LaneWork> abandoned;
        lock (_lock)
        {
            _stopping = true;
            abandoned = _classes.SelectMany(c => c.All()).ToList();
            foreach (var work in abandoned) _classes[(int)work.Tag.Priority].Remove(work);
            _wake.Set();
        }
        var error = new TransferException(ErrorCode.Unavailable, $"lane {Lane} is stopping");
        foreach (var work in abandoned) work.Abandon(error);
        await _stopped.Task.ConfigureAwait(false);
        _wake.Dispose();
    }
}
