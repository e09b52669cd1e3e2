using System.Diagnostics.Metrics;
using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Telemetry;

/// <summary>Every instrument of the service, on one <see cref="Meter"/> named <see cref="TransferTelemetry.Name"/>, made
/// from the host's <see cref="IMeterFactory"/> (which owns and disposes the meter). Durations are in seconds. Gauges are
/// read when an exporter collects: queue depth and lane busy fraction from the lanes registered here, active jobs from
/// the job store. A singleton; the pieces that record take it in their constructor.</summary>
public sealed class TransferMetrics
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private readonly Lock _gate = new();
    private readonly List<LaneScheduler> _lanes = [];
    private Func<IReadOnlyList<(string Kind, JobState State, int Count)>>? _activeJobs;
    private readonly Histogram<double> _rpcDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _itemsEmbedded;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _jobsFinished;
    private readonly Gauge<double> _trainingLoss;

    /// <param name="meters">The host's factory; null makes a meter of its own (unit tests that build pieces by hand).</param>
    public TransferMetrics(IMeterFactory? meters)
    {
        var meter = meters?.Create(TransferTelemetry.Name) ?? new Meter(TransferTelemetry.Name);
        _rpcDuration = meter.CreateHistogram("rpc.server.duration", "s", "Duration of gRPC calls, by method and status code",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _queueWait = meter.CreateHistogram("transfer.queue.wait", "s", "Time a unit of device work waited in its lane's queue",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _batchSize = meter.CreateHistogram("transfer.batch.size", "{item}", "Items per embedding batch run on a lane",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _itemsEmbedded = meter.CreateCounter<long>("transfer.items.embedded", "{item}", "Items a backbone was run on");
        _cacheHits = meter.CreateCounter<long>("transfer.embedding_cache.hits", "{item}", "Dataset rows whose embedding came from the cache");
        _cacheMisses = meter.CreateCounter<long>("transfer.embedding_cache.misses", "{item}", "Dataset rows that had to be embedded");
        _jobsFinished = meter.CreateCounter<long>("transfer.jobs.finished", "{job}", "Jobs that ended, by kind and final state");
        _trainingLoss = meter.CreateGauge<double>("transfer.training.loss", "1", "Latest epoch's loss of a training job, by split");
        meter.CreateObservableGauge("transfer.queue.depth", ObserveQueueDepth, "{item}", "Work waiting in a lane's queue, by priority class");
        meter.CreateObservableGauge("transfer.lane.busy_fraction", ObserveBusyFraction, "1", "Fraction of the last window a lane ran work");
        meter.CreateObservableCounter("transfer.lane.busy_time", ObserveBusyTime, "s", "Time a lane spent running work");
        meter.CreateObservableGauge("transfer.jobs.active", ObserveActiveJobs, "{job}", "Jobs queued or running, by kind and state");
    }

    /// <summary>Lanes whose queues and busy time the gauges report.</summary>
    public void ObserveLanes(IEnumerable<LaneScheduler> lanes)
    {
        lock (_gate) _lanes.AddRange(lanes);
    }

    /// <summary>Where <c>transfer.jobs.active</c> reads its counts (the job store).</summary>
    public void ObserveJobs(Func<IReadOnlyList<(string Kind, JobState State, int Count)>> activeJobs) => _activeJobs = activeJobs;

    public void RecordRpc(string service, string method, int statusCode, double seconds) =>
        _rpcDuration.Record(seconds, new("rpc.system", "grpc"), new("rpc.service", service), new("rpc.method", method),
            new("rpc.grpc.status_code", statusCode));

    public void RecordQueueWait(string lane, Priority priority, double seconds) =>
        _queueWait.Record(seconds, new(TransferTelemetry.Lane, lane), new(TransferTelemetry.Priority, PriorityName(priority)));

    public void RecordBatch(string lane, Priority priority, int items) =>
        _batchSize.Record(items, new(TransferTelemetry.Lane, lane), new(TransferTelemetry.Priority, PriorityName(priority)));

    public void RecordEmbedded(string backbone, string lane, int items) =>
        _itemsEmbedded.Add(items, new(TransferTelemetry.Backbone, backbone), new(TransferTelemetry.Lane, lane));

    public void RecordCache(string backbone, int hits, int misses)
    {
        if (hits > 0) _cacheHits.Add(hits, new KeyValuePair<string, object?>(TransferTelemetry.Backbone, backbone));
        if (misses > 0) _cacheMisses.Add(misses, new KeyValuePair<string, object?>(TransferTelemetry.Backbone, backbone));
    }

    public void RecordJobFinished(string kind, JobState state) =>
        _jobsFinished.Add(1, new(TransferTelemetry.JobKind, kind), new(TransferTelemetry.JobState, StateName(state)));

    /// <summary>Losses of the latest epoch; a NaN validation loss (nothing held out) is not recorded.</summary>
    public void RecordTrainingLoss(string kind, double trainLoss, double validationLoss)
    {
        if (double.IsFinite(trainLoss)) _trainingLoss.Record(trainLoss, new(TransferTelemetry.JobKind, kind), new(TransferTelemetry.LossSplit, "train"));
        if (double.IsFinite(validationLoss) && validationLoss > 0)
            _trainingLoss.Record(validationLoss, new(TransferTelemetry.JobKind, kind), new(TransferTelemetry.LossSplit, "validation"));
    }

    public static string PriorityName(Priority priority) => priority.ToString().ToLowerInvariant();

    public static string StateName(JobState state) => state.ToString().ToLowerInvariant();

    private LaneScheduler[] Lanes()
    {
        lock (_gate) return [.. _lanes];
    }

    private IEnumerable<Measurement<int>> ObserveQueueDepth() =>
        Lanes().SelectMany(lane => Enum.GetValues<Priority>().Select(p => new Measurement<int>(lane.QueuedIn(p),
            new(TransferTelemetry.Lane, lane.Lane), new(TransferTelemetry.Priority, PriorityName(p)))));

    private IEnumerable<Measurement<double>> ObserveBusyFraction() =>
        Lanes().Select(lane => new Measurement<double>(lane.Busy.Fraction, new KeyValuePair<string, object?>(TransferTelemetry.Lane, lane.Lane)));

    private IEnumerable<Measurement<double>> ObserveBusyTime() =>
        Lanes().Select(lane => new Measurement<double>(lane.Busy.TotalSeconds, new KeyValuePair<string, object?>(TransferTelemetry.Lane, lane.Lane)));

    private IEnumerable<Measurement<int>> ObserveActiveJobs() =>
        _activeJobs?.Invoke().Select(j => new Measurement<int>(j.Count, new(TransferTelemetry.JobKind, j.Kind), new(TransferTelemetry.JobState, StateName(j.State))))
        ?? [];
}
