using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TransferService.Core.Errors;
using TransferService.Core.Scheduling;
using TransferService.Core.Telemetry;

namespace TransferService.Core.Jobs;

/// <summary>Runs durable jobs from an <see cref="IJobStore"/> on <see cref="JobOptions.MaxConcurrent"/> workers, each
/// job by the <see cref="IJobHandler"/> of its kind. A worker claims a job with a lease, heartbeats it, writes its
/// progress now and then, and ends it in the store; a job whose run is interrupted (shutdown, crash) is run again
/// from its last checkpoint by the next owner. <see cref="Start"/> first lets the store free the jobs of owners it
/// can prove dead (a previous process on the same data folder), so a restart after a crash resumes at once.
/// A cancel stops the handler through its token; so do a lost lease, <see cref="JobOptions.MaxDuration"/> and
/// shutdown (after which the job goes back to the queue).</summary>
public sealed class DurableJobRunner : IJobRunner, IAsyncDisposable
{
    private readonly Lazy<IReadOnlyDictionary<string, IJobHandler>> _handlers;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];

    /// <param name="handlers">Read at first use, not here: a handler may depend on the runner (training submits through it).</param>
    /// <param name="metrics">Where jobs' ends, training losses and active jobs are reported; none when null.</param>
    public DurableJobRunner(IJobStore store, Func<IEnumerable<IJobHandler>> handlers, JobOptions options, TimeProvider time, ILogger<DurableJobRunner> logger,
        TransferMetrics? metrics = null)
    {
        (Store, Options, Time, Logger, Metrics) = (store, options, time, logger, metrics);
        metrics?.ObserveJobs(ActiveJobs);
        _handlers = new(() => handlers().ToDictionary(h => h.Kind, StringComparer.Ordinal));
    }

    // What each JobRun works with.
    internal IJobStore Store { get; }
    internal JobOptions Options { get; }
    internal TimeProvider Time { get; }
    internal ILogger Logger { get; }
    internal TransferMetrics? Metrics { get; }
    internal JobChanges Changes { get; } = new();
    /// <summary>The jobs this process runs now, by id.</summary>
    internal ConcurrentDictionary<string, JobContext> Running { get; } = new(StringComparer.Ordinal);
    internal IJobHandler? Handler(string kind) => _handlers.Value.GetValueOrDefault(kind);

    /// <summary>Who claims jobs in the store: host, process and this runner.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public void Start()
    {
        var freed = Store.ExpireDeadOwners(Time.GetUtcNow());
        if (freed > 0) JobLog.Resuming(Logger, freed);
        _workers = Enumerable.Range(0, Options.MaxConcurrent).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    public JobInfo Submit(JobSubmission submission)
    {
        if (!_handlers.Value.ContainsKey(submission.Kind))
            throw TransferException.Invalid("kind", $"no job kind '{submission.Kind}'; kinds: {string.Join(", ", _handlers.Value.Keys.Order(StringComparer.Ordinal))}");
        if (submission.Priority is not (Priority.High or Priority.Normal or Priority.Low))
            throw TransferException.Invalid("priority", "a job runs as high, normal or low priority; interactive is for calls");
        if (submission.IdempotencyKey is { Length: > JobSubmission.MaxIdempotencyKeyLength })
            throw TransferException.Invalid("idempotency_key", $"idempotency_key has {submission.IdempotencyKey.Length} characters; at most {JobSubmission.MaxIdempotencyKeyLength}");
        var info = new JobInfo($"job-{Guid.NewGuid():N}"[..16], submission.Tenant, submission.Kind, JobState.Queued, new JobProgress("queued", 0), "", null,
            Time.GetUtcNow(), null, null)
        { Priority = submission.Priority, IdempotencyKey = submission.IdempotencyKey is { Length: > 0 } key ? key : null };
        var submitted = Store.Submit(new JobRecord(info, submission.Payload) { TraceParent = Activity.Current?.Id }, Options.MaxActivePerTenant);
        if (submitted.Job is null)
            throw new TransferException(ErrorCode.ResourceExhausted, $"tenant '{submission.Tenant}' already has {submitted.Active} jobs queued or running; " +
                $"the limit {JobOptions.Section}:{nameof(JobOptions.MaxActivePerTenant)} is {Options.MaxActivePerTenant}");
        if (submitted.Created) _wake.Release();
        return Current(submitted.Job);
    }

    /// <summary>A job running here is answered from memory: watchers call this on every progress report.</summary>
    public JobInfo Get(string id, string tenant) =>
        Running.TryGetValue(id, out var running) && running.Tenant == tenant ? running.Info : Current(Find(id, tenant));

    public (IReadOnlyList<JobInfo> Jobs, string? NextPageToken) List(JobQuery query)
    {
        var page = Store.List(query);
        return (page.Jobs.Select(Current).ToArray(), page.NextPageToken);
    }

    public async IAsyncEnumerable<JobInfo> WatchAsync(string id, string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobInfo? last = null;
        while (true)
        {
            var changed = Changes.Next(id);
            var info = Get(id, tenant);
            if (last is null || !Same(last, info)) yield return last = info;
            if (info.IsFinished) yield break;
            // A change made by this process completes `changed`; one made elsewhere is found by polling.
            await Task.WhenAny(changed, Task.Delay(Options.PollInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public JobInfo Cancel(string id, string tenant)
    {
        var before = Current(Find(id, tenant));
        if (before.IsFinished)
            throw new TransferException(ErrorCode.FailedPrecondition,
                $"job '{id}' has already finished ({before.State.ToString().ToLowerInvariant()}); only a queued or running job can be cancelled", "job_id");
        var after = Store.RequestCancel(id, Time.GetUtcNow()) ?? throw NotFound(id);
        // The stored request reaches an owner elsewhere (or after a restart) through its heartbeat; this one is told now.
        if (Running.TryGetValue(id, out var running)) running.RequestCancel();
        Changes.Notify(id);
        return Current(after);
    }

    /// <summary>Queued and running jobs of every kind this runner handles, zeros included: a gauge that drops a series
    /// when it reaches zero would leave dashboards showing its last non-zero value.</summary>
    private IReadOnlyList<(string Kind, JobState State, int Count)> ActiveJobs()
    {
        var counts = Store.CountActive().ToDictionary(c => (c.Kind, c.State), c => c.Count);
        return _handlers.Value.Keys.SelectMany(kind => new[] { JobState.Queued, JobState.Running }
            .Select(state => (kind, state, counts.GetValueOrDefault((kind, state))))).ToArray();
    }

    private JobRecord Find(string id, string tenant) =>
        Store.Get(id) is { } record && record.Info.Tenant == tenant ? record : throw NotFound(id);

    private static TransferException NotFound(string id) => new(ErrorCode.NotFound, $"job '{id}' does not exist", "job_id");

    /// <summary>The stored job, with the progress reported since its last write when it runs here.</summary>
    private JobInfo Current(JobRecord record) =>
        record.Info.State == JobState.Running && Running.TryGetValue(record.Info.Id, out var running) && running.Fence == record.Fence
            ? running.Info : record.Info;

    private static bool Same(JobInfo a, JobInfo b) => a with { Error = null } == b with { Error = null } && a.Error?.Message == b.Error?.Message;

    private async Task WorkAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var claimed = Store.ClaimNext(Owner, Time.GetUtcNow(), Options.LeaseDuration, Options.MaxAttempts);
                if (claimed is not null)
                {
                    await new JobRun(this, claimed).RunAsync(stopping).ConfigureAwait(false);
                    continue;
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                JobLog.StoreFailed(Logger, e);
            }
            try { await _wake.WaitAsync(Options.PollInterval, stopping).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>Stops the workers: each running job's handler is cancelled and the job goes back to the queue.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
