using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Errors;
using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;
using TransferService.Jobs.Sqlite;

namespace TransferService.Core.Tests.Jobs;

/// <summary>The runner on a real SQLite store, with handlers whose work each test writes (chosen by the job's payload)
/// and virtual time for leases, backoff and the duration limit.</summary>
public sealed class DurableJobRunnerTests : IAsyncLifetime
{
    private const string Kind = "test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly JobOptions OneWorker = new() { MaxConcurrent = 1, PollInterval = TimeSpan.FromMilliseconds(20) };
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"runner-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentDictionary<string, Func<IJobContext, CancellationToken, Task<string>>> _work = new();
    private SqliteJobStore _store = null!;
    private DurableJobRunner _runner = null!;

    public Task InitializeAsync()
    {
        _store = new SqliteJobStore(_folder);
        _runner = Start(OneWorker);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _runner.DisposeAsync();
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class Handler(string kind, Func<IJobContext, CancellationToken, Task<string>> run) : IJobHandler
    {
        public string Kind => kind;
        public Task<string> RunAsync(IJobContext context, CancellationToken cancellationToken) => run(context, cancellationToken);
    }

    private DurableJobRunner Start(JobOptions options)
    {
        var runner = new DurableJobRunner(_store, () => [new Handler(Kind, (c, t) => _work[c.Payload](c, t))], options, _time, NullLogger<DurableJobRunner>.Instance);
        runner.Start();
        return runner;
    }

    private async Task RestartAsync(JobOptions options)
    {
        await _runner.DisposeAsync();
        _runner = Start(options);
    }

    /// <summary>Submits a job whose run is <paramref name="work"/>.</summary>
    private JobInfo Submit(Func<IJobContext, CancellationToken, Task<string>> work, string tenant = "t1", Priority priority = Priority.Normal, string? key = null)
    {
        var name = Guid.NewGuid().ToString("N");
        _work[name] = work;
        return _runner.Submit(new JobSubmission(tenant, Kind, priority, name, key));
    }

    private static Func<IJobContext, CancellationToken, Task<string>> UntilCancelled(TaskCompletionSource? started = null) =>
        async (_, cancellation) =>
        {
            started?.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellation);
            return "never";
        };

    private static Func<IJobContext, CancellationToken, Task<string>> Done(string result, Action? ran = null) =>
        (_, _) => { ran?.Invoke(); return Task.FromResult(result); };

    private async Task<JobInfo> FinalAsync(string id, string tenant = "t1")
    {
        using var timeout = new CancellationTokenSource(Patience);
        JobInfo last = null!;
        await foreach (var info in _runner.WatchAsync(id, tenant, timeout.Token)) last = info;
        return last;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition()) await Task.Delay(10, timeout.Token);
    }

    [Fact]
    public async Task Cancel_QueuedJob_CancelledAtOnceNeverRunsAndTheNextJobRuns()
    {
        var started = new TaskCompletionSource();
        var first = Submit(UntilCancelled(started));
        await started.Task.WaitAsync(Patience);
        var ranQueued = false;
        var queued = Submit(Done("queued", () => ranQueued = true));
        var after = Submit(Done("after"));

        var cancelled = _runner.Cancel(queued.Id, "t1");

        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.Finished);
        Assert.Equal(JobState.Cancelled, (await FinalAsync(queued.Id)).State);
        _runner.Cancel(first.Id, "t1");
        Assert.Equal("after", (await FinalAsync(after.Id)).Result);
        Assert.False(ranQueued);
    }

    [Fact]
    public async Task Cancel_RunningJob_StopsItsWorkEndsCancelledAndFreesTheWorker()
    {
        var started = new TaskCompletionSource();
        var running = Submit(UntilCancelled(started));
        var next = Submit(Done("next"));
        await started.Task.WaitAsync(Patience);
        Assert.Equal(JobState.Running, _runner.Get(running.Id, "t1").State);
        Assert.Equal(JobState.Queued, _runner.Get(next.Id, "t1").State);

        _runner.Cancel(running.Id, "t1");

        var final = await FinalAsync(running.Id);
        Assert.Equal(JobState.Cancelled, final.State);
        Assert.Null(final.Error);
        Assert.Equal(JobState.Succeeded, (await FinalAsync(next.Id)).State);
    }

    [Fact]
    public async Task Cancel_FinishedJob_FailedPrecondition()
    {
        var job = Submit(Done("made"));
        Assert.Equal(JobState.Succeeded, (await FinalAsync(job.Id)).State);

        var error = Assert.Throws<TransferException>(() => _runner.Cancel(job.Id, "t1"));

        Assert.Equal(ErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("job_id", error.Field);
        Assert.Equal(JobState.Succeeded, _runner.Get(job.Id, "t1").State);
    }

    [Fact]
    public async Task GetWatchCancel_AnotherTenantsJob_NotFoundExactlyLikeAnUnknownId()
    {
        var started = new TaskCompletionSource();
        var job = Submit(UntilCancelled(started));
        await started.Task.WaitAsync(Patience);
        var unknown = Assert.Throws<TransferException>(() => _runner.Get("job-0000000000", "t1"));

        var errors = new[]
        {
            Assert.Throws<TransferException>(() => _runner.Get(job.Id, "t2")),
            Assert.Throws<TransferException>(() => _runner.Cancel(job.Id, "t2")),
            await Assert.ThrowsAsync<TransferException>(async () => { await foreach (var _ in _runner.WatchAsync(job.Id, "t2", CancellationToken.None)) { } }),
        };

        Assert.All(errors, e => Assert.Equal((unknown.Code, unknown.Field, unknown.Message.Replace("job-0000000000", job.Id)), (e.Code, e.Field, e.Message)));
        Assert.Equal(ErrorCode.NotFound, unknown.Code);
        Assert.Equal(JobState.Running, _runner.Get(job.Id, "t1").State);
        _runner.Cancel(job.Id, "t1");
    }

    [Fact]
    public async Task Submit_OverTheTenantsQuota_ResourceExhaustedForThatTenantOnly()
    {
        await RestartAsync(OneWorker with { MaxActivePerTenant = 2 });
        var started = new TaskCompletionSource();
        var running = Submit(UntilCancelled(started));
        var queued = Submit(Done("queued"));
        await started.Task.WaitAsync(Patience);

        var error = Assert.Throws<TransferException>(() => Submit(Done("third")));

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.Contains("Jobs:MaxActivePerTenant is 2", error.Message);
        Assert.Equal(JobState.Queued, Submit(Done("other tenant"), tenant: "t2").State);
        _runner.Cancel(queued.Id, "t1");
        var again = Submit(Done("again"));
        _runner.Cancel(running.Id, "t1");
        Assert.Equal("again", (await FinalAsync(again.Id)).Result);
    }

    [Fact]
    public async Task RunningJob_PastMaxDuration_FailsResourceExhaustedAndTheNextJobRuns()
    {
        await RestartAsync(OneWorker with { MaxDuration = TimeSpan.FromMinutes(30) });
        var started = new TaskCompletionSource();
        var slow = Submit(UntilCancelled(started));
        var next = Submit(Done("next"));
        await started.Task.WaitAsync(Patience);

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(JobState.Running, _runner.Get(slow.Id, "t1").State);
        _time.Advance(TimeSpan.FromMinutes(1));

        var final = await FinalAsync(slow.Id);
        Assert.Equal(JobState.Failed, final.State);
        Assert.Equal(ErrorCode.ResourceExhausted, final.Error?.Code);
        Assert.Contains("Jobs:MaxDuration (00:30:00)", final.Error?.Message);
        Assert.Equal(JobState.Succeeded, (await FinalAsync(next.Id)).State);
    }

    [Fact]
    public void Submit_KindWithoutAHandler_InvalidArgumentOnKind()
    {
        var error = Assert.Throws<TransferException>(() => _runner.Submit(new JobSubmission("t1", "extract_everything", Priority.Normal, "{}")));

        Assert.Equal((ErrorCode.InvalidArgument, "kind"), (error.Code, error.Field));
        Assert.Contains("kinds: test", error.Message);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyAgain_TheSameJobAndItRunsOnce()
    {
        var runs = 0;
        var first = Submit(Done("made", () => Interlocked.Increment(ref runs)), key: "retry-1");
        var again = Submit(Done("other", () => Interlocked.Increment(ref runs)), key: "retry-1");

        Assert.Equal(first.Id, again.Id);
        Assert.Equal("made", (await FinalAsync(first.Id)).Result);
        Assert.Equal(first.Id, Submit(Done("late"), key: "retry-1").Id);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task RunningJob_Context_CarriesItsTagAndReportsProgressAtOnce()
    {
        var reported = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        WorkTag? tag = null;
        var job = Submit(async (context, cancellation) =>
        {
            tag = context.Tag;
            context.Report(new JobProgress("extracting", 0.25, ItemsDone: 250, ItemsTotal: 1000));
            reported.TrySetResult();
            await release.Task.WaitAsync(cancellation);
            return "ok";
        }, tenant: "t7", priority: Priority.High);
        await reported.Task.WaitAsync(Patience);

        var running = _runner.Get(job.Id, "t7");
        release.SetResult();

        Assert.Equal(new WorkTag("t7", Priority.High), tag);
        Assert.Equal((JobState.Running, "extracting", 250L, 1), (running.State, running.Progress.Stage, running.Progress.ItemsDone, running.Attempts));
        Assert.Equal(Priority.High, running.Priority);
        var final = await FinalAsync(job.Id, "t7");
        Assert.Equal(("ok", "done", 1.0), (final.Result, final.Progress.Stage, final.Progress.Fraction));
    }

    [Fact]
    public async Task CommitCheckpoint_AfterAnotherOwnerClaimedTheJob_AbortedAndThisRunRecordsNothing()
    {
        var started = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        var outcome = new TaskCompletionSource<Exception?>();
        var job = Submit(async (context, cancellation) =>
        {
            started.SetResult();
            await proceed.Task;
            try { await context.CommitCheckpointAsync("chunk 1", new JobProgress("stale", 0.5), cancellation); outcome.SetResult(null); }
            catch (Exception e) { outcome.SetResult(e); throw; }
            return "stale result";
        });
        await started.Task.WaitAsync(Patience);
        // Another owner takes the job over, as if this one's lease had run out.
        var thief = _store.ClaimNext("thief", _time.GetUtcNow() + TimeSpan.FromHours(1), TimeSpan.FromHours(2), 5)!;

        proceed.SetResult();

        var error = Assert.IsType<TransferException>(await outcome.Task.WaitAsync(Patience));
        Assert.Equal(ErrorCode.Aborted, error.Code);
        await StaleRunEndedAsync(job.Id);
        var stored = _store.Get(job.Id)!;
        Assert.Equal((JobState.Running, "thief", thief.Fence, (string?)null, ""), (stored.Info.State, stored.Owner, stored.Fence, stored.Checkpoint, stored.Info.Result));
    }

    /// <summary>Until this runner no longer holds the run the thief took over (it lets go only after the run's last
    /// write), so the store then shows everything that run recorded: the runner reports the thief's second attempt.</summary>
    private Task StaleRunEndedAsync(string jobId) => WaitUntilAsync(() => _runner.Get(jobId, "t1").Attempts == 2);

    [Fact]
    public async Task Heartbeat_AfterAnotherOwnerClaimedTheJob_CancelsTheHandlersTokenAndThisRunRecordsNothing()
    {
        var started = new TaskCompletionSource();
        var stopped = new TaskCompletionSource();
        var job = Submit(async (_, cancellation) =>
        {
            started.SetResult();
            try { await Task.Delay(Timeout.Infinite, cancellation); }
            finally { stopped.SetResult(); }
            return "never";
        });
        await started.Task.WaitAsync(Patience);
        var thief = _store.ClaimNext("thief", _time.GetUtcNow() + TimeSpan.FromHours(1), TimeSpan.FromHours(2), 5)!;

        _time.Advance(OneWorker.HeartbeatInterval);

        await stopped.Task.WaitAsync(Patience);
        await StaleRunEndedAsync(job.Id);
        var stored = _store.Get(job.Id)!;
        Assert.Equal((JobState.Running, "thief", thief.Fence, ""), (stored.Info.State, stored.Owner, stored.Fence, stored.Info.Result));
    }

    [Fact]
    public async Task RunAsync_InternalErrorOnce_RetriedAfterTheBackoffAndSucceedsOnTheSecondAttempt()
    {
        var attempts = new ConcurrentQueue<int>();
        var job = Submit((context, _) =>
        {
            attempts.Enqueue(context.Attempt);
            return context.Attempt == 1 ? throw new IOException("disk hiccup") : Task.FromResult("second time");
        });
        await WaitUntilAsync(() => _store.Get(job.Id)!.Info.State == JobState.Queued && attempts.Count == 1);

        await Task.Delay(200);
        Assert.Single(attempts);
        _time.Advance(OneWorker.RetryBackoff);

        var final = await FinalAsync(job.Id);
        Assert.Equal((JobState.Succeeded, "second time", 2), (final.State, final.Result, final.Attempts));
        Assert.Equal([1, 2], attempts);
    }

    [Fact]
    public async Task RunAsync_InternalErrorEveryTime_FailsInternalAfterMaxAttempts()
    {
        var job = Submit((_, _) => throw new IOException("always"));
        for (var attempt = 1; attempt < OneWorker.MaxAttempts; attempt++)
        {
            var next = attempt;
            await WaitUntilAsync(() => _store.Get(job.Id)!.Info is { State: JobState.Queued } info && info.Attempts == next);
            _time.Advance(OneWorker.RetryBackoff * Math.Pow(2, attempt - 1));
        }

        var final = await FinalAsync(job.Id);
        Assert.Equal((JobState.Failed, ErrorCode.Internal, 3), (final.State, final.Error?.Code, final.Attempts));
        Assert.Contains("attempt 3 of Jobs:MaxAttempts 3", final.Error?.Message);
        Assert.DoesNotContain("always", final.Error?.Message);
    }

    [Fact]
    public async Task Restart_RunningAndQueuedJobs_TheRunningOneResumesFromItsCheckpointAndTheQueuedOneRuns()
    {
        var checkpointed = new TaskCompletionSource();
        string? resumedFrom = null;
        var running = Submit(async (context, cancellation) =>
        {
            if (context.Checkpoint is null)
            {
                await context.CommitCheckpointAsync("chunk 4", new JobProgress("extracting", 0.4), cancellation);
                checkpointed.SetResult();
                await Task.Delay(Timeout.Infinite, cancellation);
            }
            resumedFrom = context.Checkpoint;
            return $"resumed at {context.Checkpoint}";
        });
        var queued = Submit(Done("queued ran"));
        await checkpointed.Task.WaitAsync(Patience);

        await _runner.DisposeAsync();
        Assert.Equal((JobState.Queued, JobState.Queued), (_store.Get(running.Id)!.Info.State, _store.Get(queued.Id)!.Info.State));
        _runner = Start(OneWorker);

        Assert.Equal("resumed at chunk 4", (await FinalAsync(running.Id)).Result);
        Assert.Equal("queued ran", (await FinalAsync(queued.Id)).Result);
        Assert.Equal("chunk 4", resumedFrom);
        // A shutdown is not the job's fault: it does not use up an attempt.
        Assert.Equal(1, _runner.Get(running.Id, "t1").Attempts);
    }

    [Fact]
    public async Task List_JobsOfTwoTenants_NewestFirstWithTheRunningOnesLiveProgress()
    {
        var reported = new TaskCompletionSource();
        var first = Submit(async (context, cancellation) =>
        {
            context.Report(new JobProgress("training", 0.5, Epoch: 3));
            reported.SetResult();
            await Task.Delay(Timeout.Infinite, cancellation);
            return "never";
        });
        var second = Submit(Done("x"), tenant: "t2");
        var third = Submit(Done("y"));
        await reported.Task.WaitAsync(Patience);

        var (mine, next) = _runner.List(new JobQuery("t1"));
        var (all, _) = _runner.List(new JobQuery(null));

        Assert.Equal([third.Id, first.Id], mine.Select(j => j.Id));
        Assert.Null(next);
        Assert.Equal(3, mine[1].Progress.Epoch);
        Assert.Equal([third.Id, second.Id, first.Id], all.Select(j => j.Id));
        _runner.Cancel(first.Id, "t1");
    }
}
