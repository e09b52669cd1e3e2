using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TransferService.Core.Errors;
using TransferService.Core.Scheduling;

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
    private readonly IJobStore _store;
    private readonly Lazy<IReadOnlyDictionary<string, IJobHandler>> _handlers;
    private readonly JobOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DurableJobRunner> _logger;
    private readonly JobChanges _changes = new();
    private readonly ConcurrentDictionary<string, JobContext> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];

    internal IJobStore Store => _store;
    internal JobOptions Options => _options;
    internal TimeProvider Time => _time;
    internal ILogger Logger => _logger;
    internal JobChanges Changes => _changes;
    internal ConcurrentDictionary<string, JobContext> Running => _running;
    internal IJobHandler? Handler(string kind) => _handlers.Value.GetValueOrDefault(kind);

    /// <param name="handlers">Read at first use, not here: a handler may depend on the runner (training submits through it).</param>
    public DurableJobRunner(IJobStore store, Func<IEnumerable<IJobHandler>> handlers, JobOptions options, TimeProvider time, ILogger<DurableJobRunner> logger)
    {
        (_store, _options, _time, _logger) = (store, options, time, logger);
        _handlers = new(() => handlers().ToDictionary(h => h.Kind, StringComparer.Ordinal));
    }

    /// <summary>Who claims jobs in the store: host, process and this runner.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public void Start()
    {
        var freed = _store.ExpireDeadOwners(_time.GetUtcNow());
        if (freed > 0) _logger.LogWarning("{Count} job(s) of a previous process that stopped without finishing them resume now", freed);
        _workers = Enumerable.Range(0, _options.MaxConcurrent).Select(_ => Task.Run(WorkAsync)).ToArray();
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
            _time.GetUtcNow(), null, null)
        { Priority = submission.Priority, IdempotencyKey = submission.IdempotencyKey is { Length: > 0 } key ? key : null };
        var submitted = _store.Submit(new JobRecord(info, submission.Payload), _options.MaxActivePerTenant);
        if (submitted.Job is null)
            throw new TransferException(ErrorCode.ResourceExhausted, $"tenant '{submission.Tenant}' already has {submitted.Active} jobs queued or running; " +
                $"the limit {JobOptions.Section}:{nameof(JobOptions.MaxActivePerTenant)} is {_options.MaxActivePerTenant}");
        if (submitted.Created) _wake.Release();
        return Current(submitted.Job);
    }

    /// <summary>A job running here is answered from memory: watchers call this on every progress report.</summary>
    public JobInfo Get(string id, string tenant) =>
        _running.TryGetValue(id, out var running) && running.Tenant == tenant ? running.Info : Current(Find(id, tenant));

    public (IReadOnlyList<JobInfo> Jobs, string? NextPageToken) List(JobQuery query)
    {
        var page = _store.List(query);
        return (page.Jobs.Select(Current).ToArray(), page.NextPageToken);
    }

    public async IAsyncEnumerable<JobInfo> WatchAsync(string id, string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobInfo? last = null;
        while (true)
        {
            var changed = _changes.Next(id);
            var info = Get(id, tenant);
            if (last is null || !Same(last, info)) yield return last = info;
            if (info.IsFinished) yield break;
            // A change made by this process completes `changed`; one made elsewhere is found by polling.
            await Task.WhenAny(changed, Task.Delay(_options.PollInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public JobInfo Cancel(string id, string tenant)
    {
        var before = Current(Find(id, tenant));
        if (before.IsFinished)
            throw new TransferException(ErrorCode.FailedPrecondition,
                $"job '{id}' has already finished ({before.State.ToString().ToLowerInvariant()}); only a queued or running job can be cancelled", "job_id");
        var after = _store.RequestCancel(id, _time.GetUtcNow()) ?? throw NotFound(id);
        // The stored request reaches an owner elsewhere (or after a restart) through its heartbeat; this one is told now.
        if (_running.TryGetValue(id, out var running)) running.RequestCancel();
        _changes.Notify(id);
        return Current(after);
    }

    private JobRecord Find(string id, string tenant) =>
        _store.Get(id) is { } record && record.Info.Tenant == tenant ? record : throw NotFound(id);

    private static TransferException NotFound(string id) => new(ErrorCode.NotFound, $"job '{id}' does not exist", "job_id");

    /// <summary>The stored job, with the progress reported since its last write when it runs here.</summary>
    private JobInfo Current(JobRecord record) =>
        record.Info.State == JobState.Running && _running.TryGetValue(record.Info.Id, out var running) && running.Fence == record.Fence
            ? running.Info : record.Info;

    private static bool Same(JobInfo a, JobInfo b) => a with { Error = null } == b with { Error = null } && a.Error?.Message == b.Error?.Message;

    private async Task WorkAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var claimed = _store.ClaimNext(Owner, _time.GetUtcNow(), _options.LeaseDuration, _options.MaxAttempts);
                if (claimed is not null)
                {
                    await new JobRun(this, claimed).RunAsync(stopping).ConfigureAwait(false);
                    continue;
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                _logger.LogError(e, "The job store failed; trying again");
            }
            try { await _wake.WaitAsync(_options.PollInterval, stopping).ConfigureAwait(false); }
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
