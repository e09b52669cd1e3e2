using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Errors;
using TransferService.Core.Jobs;

namespace TransferService.Core.Tests.Jobs;

public sealed class InProcessJobRunnerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private InProcessJobRunner _runner;

    public InProcessJobRunnerTests() => _runner = Runner(new JobOptions());

    private InProcessJobRunner Runner(JobOptions options) => new(options, _time, NullLogger<InProcessJobRunner>.Instance);

    public void Dispose() => _runner.Dispose();

    /// <summary>Work that runs until its token is cancelled, telling <paramref name="started"/> when it began.</summary>
    private static Func<IProgress<JobProgress>, CancellationToken, Task<string>> UntilCancelled(TaskCompletionSource? started = null) =>
        async (_, cancellation) =>
        {
            started?.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellation);
            return "never";
        };

    private static Func<IProgress<JobProgress>, CancellationToken, Task<string>> Done(string result, Action? ran = null) =>
        (_, _) => { ran?.Invoke(); return Task.FromResult(result); };

    private async Task<JobInfo> FinalAsync(string id, string tenant = "t1")
    {
        using var timeout = new CancellationTokenSource(Patience);
        JobInfo last = null!;
        await foreach (var info in _runner.WatchAsync(id, tenant, timeout.Token)) last = info;
        return last;
    }

    [Fact]
    public async Task Cancel_QueuedJob_CancelledAtOnceNeverRunsAndTheNextJobRuns()
    {
        var started = new TaskCompletionSource();
        var first = _runner.Submit("t1", "k", UntilCancelled(started));
        await started.Task.WaitAsync(Patience);
        var ranQueued = false;
        var queued = _runner.Submit("t1", "k", Done("queued", () => ranQueued = true));
        var after = _runner.Submit("t1", "k", Done("after"));

        var cancelled = _runner.Cancel(queued.Id, "t1");

        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.Finished);
        Assert.Equal(JobState.Cancelled, (await FinalAsync(queued.Id)).State);
        _runner.Cancel(first.Id, "t1");
        Assert.Equal("after", (await FinalAsync(after.Id)).Result);
        Assert.False(ranQueued);
    }

    [Fact]
    public async Task Cancel_RunningJob_StopsItsWorkEndsCancelledAndFreesTheRunner()
    {
        var started = new TaskCompletionSource();
        var running = _runner.Submit("t1", "k", UntilCancelled(started));
        var next = _runner.Submit("t1", "k", Done("next"));
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
        var job = _runner.Submit("t1", "k", Done("made"));
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
        var job = _runner.Submit("t1", "k", UntilCancelled(started));
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
    }

    [Fact]
    public async Task Submit_OverTheTenantsQuota_ResourceExhaustedForThatTenantOnly()
    {
        _runner.Dispose();
        _runner = Runner(new JobOptions { MaxActivePerTenant = 2 });
        var started = new TaskCompletionSource();
        var running = _runner.Submit("t1", "k", UntilCancelled(started));
        var queued = _runner.Submit("t1", "k", Done("queued"));
        await started.Task.WaitAsync(Patience);

        var error = Assert.Throws<TransferException>(() => _runner.Submit("t1", "k", Done("third")));

        Assert.Equal(ErrorCode.ResourceExhausted, error.Code);
        Assert.Contains("Jobs:MaxActivePerTenant is 2", error.Message);
        Assert.Equal(JobState.Queued, _runner.Submit("t2", "k", Done("other tenant")).State);
        _runner.Cancel(queued.Id, "t1");
        var again = _runner.Submit("t1", "k", Done("again"));
        _runner.Cancel(running.Id, "t1");
        Assert.Equal("again", (await FinalAsync(again.Id)).Result);
    }

    [Fact]
    public async Task RunningJob_PastMaxDuration_FailsResourceExhaustedAndTheNextJobRuns()
    {
        _runner.Dispose();
        _runner = Runner(new JobOptions { MaxDuration = TimeSpan.FromMinutes(30) });
        var started = new TaskCompletionSource();
        var slow = _runner.Submit("t1", "k", UntilCancelled(started));
        var next = _runner.Submit("t1", "k", Done("next"));
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
}
