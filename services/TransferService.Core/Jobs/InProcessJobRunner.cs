using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TransferService.Core.Errors;

namespace TransferService.Core.Jobs;

/// <summary>Runs jobs in this process, one at a time in submission order, cancelled at shutdown. Jobs live
/// in memory: a restart forgets them (their results, e.g. head versions, are stored durably by the work).</summary>
public sealed class InProcessJobRunner(TimeProvider time, ILogger<InProcessJobRunner> logger) : IJobRunner, IDisposable
{
    private sealed class Entry(JobInfo info)
    {
        public JobInfo Info = info;
        public TaskCompletionSource Changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly ConcurrentDictionary<string, Entry> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();

    public JobInfo Submit(string kind, Func<IProgress<JobProgress>, CancellationToken, Task<string>> work)
    {
        var id = $"job-{Guid.NewGuid():N}"[..16];
        var entry = new Entry(new JobInfo(id, kind, JobState.Queued, new JobProgress("queued", 0), "", null, time.GetUtcNow(), null, null));
        _jobs[id] = entry;
        _ = Task.Run(() => RunAsync(entry, work));
        return entry.Info;
    }

    public JobInfo Get(string id) =>
        _jobs.TryGetValue(id, out var entry) ? entry.Info : throw new TransferException(ErrorCode.NotFound, $"job '{id}' does not exist", "job_id");

    public async IAsyncEnumerable<JobInfo> WatchAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Get(id);
        var entry = _jobs[id];
        while (true)
        {
            var changed = entry.Changed.Task;
            var info = entry.Info;
            yield return info;
            if (info.IsFinished) yield break;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(Entry entry, Func<IProgress<JobProgress>, CancellationToken, Task<string>> work)
    {
        await _oneAtATime.WaitAsync(_shutdown.Token).ConfigureAwait(false);
        try
        {
            Update(entry, entry.Info with { State = JobState.Running, Started = time.GetUtcNow(), Progress = new JobProgress("starting", 0) });
            var progress = new SyncProgress<JobProgress>(p => Update(entry, entry.Info with { Progress = p }));
            var result = await work(progress, _shutdown.Token).ConfigureAwait(false);
            Update(entry, entry.Info with { State = JobState.Succeeded, Result = result, Finished = time.GetUtcNow(), Progress = entry.Info.Progress with { Stage = "done", Fraction = 1 } });
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            Update(entry, entry.Info with { State = JobState.Cancelled, Finished = time.GetUtcNow() });
        }
        catch (Exception e)
        {
            var error = e as TransferException ?? new TransferException(ErrorCode.Internal, $"the job failed: {e.Message}", inner: e);
            if (error.Code == ErrorCode.Internal) logger.LogError(e, "Job {Id} failed", entry.Info.Id);
            Update(entry, entry.Info with { State = JobState.Failed, Error = error, Finished = time.GetUtcNow() });
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

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
