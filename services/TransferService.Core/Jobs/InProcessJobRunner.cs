using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TransferService.Core.Errors;

namespace TransferService.Core.Jobs;

/// <summary>Runs jobs in this process on one worker, one at a time in submission order. A queued job is cancelled at
/// once; a running one is stopped through its work's token by a cancel, by <see cref="JobOptions.MaxDuration"/>, or at
/// shutdown (<see cref="Dispose"/>). Jobs live in memory: a restart forgets them (their results, e.g. head versions,
/// are stored durably by the work).</summary>
public sealed class InProcessJobRunner : IJobRunner, IDisposable
{
    private sealed class Entry(JobInfo info, Func<IProgress<JobProgress>, CancellationToken, Task<string>> work)
    {
        public JobInfo Info = info;
        public TaskCompletionSource Changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Func<IProgress<JobProgress>, CancellationToken, Task<string>> Work { get; } = work;
        /// <summary>Cancelled by <see cref="Cancel"/>. Never disposed: it has no timer and is linked to nothing.</summary>
        public CancellationTokenSource Cancellation { get; } = new();
    }

    private readonly JobOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<InProcessJobRunner> _logger;
    private readonly ConcurrentDictionary<string, Entry> _jobs = new(StringComparer.Ordinal);
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _admission = new();
    private readonly CancellationTokenSource _shutdown = new();

    public InProcessJobRunner(JobOptions options, TimeProvider time, ILogger<InProcessJobRunner> logger)
    {
        (_options, _time, _logger) = (options, time, logger);
        _ = Task.Run(WorkAsync);
    }

    public JobInfo Submit(string tenant, string kind, Func<IProgress<JobProgress>, CancellationToken, Task<string>> work)
    {
        var id = $"job-{Guid.NewGuid():N}"[..16];
        var entry = new Entry(new JobInfo(id, tenant, kind, JobState.Queued, new JobProgress("queued", 0), "", null, _time.GetUtcNow(), null, null), work);
        lock (_admission)
        {
            var active = _jobs.Values.Count(e => e.Info.Tenant == tenant && !e.Info.IsFinished);
            if (active >= _options.MaxActivePerTenant)
                throw new TransferException(ErrorCode.ResourceExhausted, $"tenant '{tenant}' already has {active} jobs queued or running; " +
                    $"the limit {JobOptions.Section}:{nameof(JobOptions.MaxActivePerTenant)} is {_options.MaxActivePerTenant}");
            _jobs[id] = entry;
        }
        _queue.Writer.TryWrite(entry);
        return entry.Info;
    }

    public JobInfo Get(string id, string tenant) => Find(id, tenant).Info;

    public async IAsyncEnumerable<JobInfo> WatchAsync(string id, string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entry = Find(id, tenant);
        while (true)
        {
            var changed = entry.Changed.Task;
            var info = entry.Info;
            yield return info;
            if (info.IsFinished) yield break;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public JobInfo Cancel(string id, string tenant)
    {
        var entry = Find(id, tenant);
        lock (entry)
        {
            if (entry.Info.IsFinished)
                throw new TransferException(ErrorCode.FailedPrecondition,
                    $"job '{id}' has already finished ({entry.Info.State.ToString().ToLowerInvariant()}); only a queued or running job can be cancelled", "job_id");
            if (entry.Info.State == JobState.Queued) Finish(entry, entry.Info with { State = JobState.Cancelled });
        }
        // Outside the lock: the token's callbacks run the work's continuations, which report progress under it.
        entry.Cancellation.Cancel();
        return entry.Info;
    }

    private Entry Find(string id, string tenant) =>
        _jobs.TryGetValue(id, out var entry) && entry.Info.Tenant == tenant
            ? entry
            : throw new TransferException(ErrorCode.NotFound, $"job '{id}' does not exist", "job_id");

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var entry in _queue.Reader.ReadAllAsync(_shutdown.Token).ConfigureAwait(false))
                if (TryStart(entry)) await RunAsync(entry).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
        }
    }

    /// <summary>Queued → Running, unless the job was cancelled while it waited.</summary>
    private bool TryStart(Entry entry)
    {
        lock (entry)
        {
            if (entry.Info.State != JobState.Queued) return false;
            Update(entry, entry.Info with { State = JobState.Running, Started = _time.GetUtcNow(), Progress = new JobProgress("starting", 0) });
            return true;
        }
    }

    private async Task RunAsync(Entry entry)
    {
        using var deadline = new CancellationTokenSource(_options.MaxDuration, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(entry.Cancellation.Token, deadline.Token, _shutdown.Token);
        try
        {
            var progress = new SyncProgress<JobProgress>(p => Update(entry, entry.Info with { Progress = p }));
            var result = await entry.Work(progress, stop.Token).ConfigureAwait(false);
            Finish(entry, entry.Info with { State = JobState.Succeeded, Result = result, Progress = entry.Info.Progress with { Stage = "done", Fraction = 1 } });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Finish(entry, entry.Cancellation.IsCancellationRequested || _shutdown.IsCancellationRequested
                ? entry.Info with { State = JobState.Cancelled }
                // Over its time budget: a quota, like memory, so RESOURCE_EXHAUSTED (DEADLINE_EXCEEDED is a call's deadline).
                : entry.Info with { State = JobState.Failed, Error = new TransferException(ErrorCode.ResourceExhausted,
                    $"the job ran longer than {JobOptions.Section}:{nameof(JobOptions.MaxDuration)} ({_options.MaxDuration}) and was stopped") });
        }
        catch (Exception e)
        {
            var error = e as TransferException ?? new TransferException(ErrorCode.Internal, $"job {entry.Info.Id} failed on an internal error; see the service log", inner: e);
            if (error.Code == ErrorCode.Internal) _logger.LogError(e, "Job {Id} failed", entry.Info.Id);
            Finish(entry, entry.Info with { State = JobState.Failed, Error = error });
        }
    }

    private void Finish(Entry entry, JobInfo info) => Update(entry, info with { Finished = _time.GetUtcNow() });

    private static void Update(Entry entry, JobInfo info)
    {
        lock (entry)
        {
            entry.Info = info;
            var changed = entry.Changed;
            entry.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    public void Dispose() => _shutdown.Cancel();
}
