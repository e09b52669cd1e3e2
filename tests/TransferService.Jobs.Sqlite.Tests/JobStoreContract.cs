using TransferService.Core.Errors;
using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;

namespace TransferService.Jobs.Sqlite.Tests;

/// <summary>What every <see cref="IJobStore"/> must do, whatever its engine: a store's test class derives from this and
/// gives a fresh, empty store per test.</summary>
public abstract class JobStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected abstract IJobStore Store { get; }

    protected static JobRecord Job(string tenant = "t1", string kind = "k", Priority priority = Priority.Normal, string? key = null, string payload = "{}") =>
        new(new JobInfo($"job-{Guid.NewGuid():N}"[..16], tenant, kind, JobState.Queued, new JobProgress("queued", 0), "", null, T0, null, null)
        { Priority = priority, IdempotencyKey = key }, payload);

    protected JobRecord Submitted(JobRecord job) => Store.Submit(job, 1000).Job!;

    [Fact]
    public void Submit_SameIdempotencyKeyTwice_ReturnsTheFirstJobAndAnotherTenantGetsItsOwn()
    {
        var first = Store.Submit(Job(key: "upload-7", payload: "{\"a\":1}"), 10);
        var again = Store.Submit(Job(key: "upload-7", payload: "{\"a\":2}"), 10);
        var otherTenant = Store.Submit(Job(tenant: "t2", key: "upload-7"), 10);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Job!.Info.Id, again.Job!.Info.Id);
        Assert.Equal("{\"a\":1}", again.Job.Payload);
        Assert.True(otherTenant.Created);
        Assert.NotEqual(first.Job.Info.Id, otherTenant.Job!.Info.Id);
        Assert.Equal(2, Store.List(new JobQuery(null)).Jobs.Count);
    }

    [Fact]
    public async Task Submit_SameIdempotencyKeyFrom16CallersAtOnce_OneJob()
    {
        using var start = new Barrier(16);
        // A thread each: 16 callers blocked on the barrier would starve the thread pool of a 2-core machine.
        var ids = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return Store.Submit(Job(key: "race"), 100).Job!.Info.Id;
        }, TaskCreationOptions.LongRunning)));

        Assert.Single(ids.Distinct());
        Assert.Single(Store.List(new JobQuery("t1")).Jobs);
    }

    [Fact]
    public void Submit_TenantAtItsActiveLimit_RefusedUntilOneFinishes()
    {
        Store.Submit(Job(), 2);
        Store.Submit(Job(), 2);

        var refused = Store.Submit(Job(), 2);
        var otherTenant = Store.Submit(Job(tenant: "t2"), 2);
        var claimed = Store.ClaimNext("a", T0, Lease, 3)!;
        Store.Finish(claimed.Info.Id, claimed.Fence, JobState.Succeeded, claimed.Info.Progress, "done", null, T0);
        var afterOneFinished = Store.Submit(Job(), 2);

        Assert.Null(refused.Job);
        Assert.Equal(2, refused.Active);
        Assert.True(otherTenant.Created);
        Assert.True(afterOneFinished.Created);
    }

    [Fact]
    public void ClaimNext_LeaseExpired_ReclaimedWithAHigherFenceAndTheStaleOwnersWritesAreRefused()
    {
        var job = Submitted(Job());
        var a = Store.ClaimNext("owner-a", T0, Lease, 3)!;

        Assert.Null(Store.ClaimNext("owner-b", T0 + TimeSpan.FromSeconds(29), Lease, 3));
        var b = Store.ClaimNext("owner-b", T0 + TimeSpan.FromSeconds(31), Lease, 3)!;

        Assert.Equal(job.Info.Id, b.Info.Id);
        Assert.True(b.Fence > a.Fence, $"fence {b.Fence} after {a.Fence}");
        Assert.Equal((1, 2), (a.Info.Attempts, b.Info.Attempts));
        Assert.Equal("owner-b", b.Owner);
        var progress = new JobProgress("stale", 0.9);
        Assert.Equal(LeaseState.Lost, Store.Heartbeat(a.Info.Id, a.Fence, T0 + TimeSpan.FromMinutes(5), progress));
        Assert.False(Store.CommitCheckpoint(a.Info.Id, a.Fence, "stale", progress));
        Assert.False(Store.Finish(a.Info.Id, a.Fence, JobState.Succeeded, progress, "stale result", null, T0));
        Assert.False(Store.Requeue(a.Info.Id, a.Fence, T0, new TransferException(ErrorCode.Internal, "stale")));
        Assert.False(Store.Release(a.Info.Id, a.Fence));
        Assert.Equal(LeaseState.Held, Store.Heartbeat(b.Info.Id, b.Fence, T0 + TimeSpan.FromMinutes(2), new JobProgress("fresh", 0.5)));
        Assert.True(Store.CommitCheckpoint(b.Info.Id, b.Fence, "chunk 3", new JobProgress("fresh", 0.6)));
        Assert.True(Store.Finish(b.Info.Id, b.Fence, JobState.Succeeded, new JobProgress("done", 1), "made", null, T0 + TimeSpan.FromMinutes(1)));
        var stored = Store.Get(job.Info.Id)!;
        Assert.Equal((JobState.Succeeded, "made", "chunk 3", "done"), (stored.Info.State, stored.Info.Result, stored.Checkpoint, stored.Info.Progress.Stage));
        Assert.Equal(T0 + TimeSpan.FromMinutes(1), stored.Info.Finished);
    }

    [Fact]
    public void Finish_ProgressWithNaNLosses_StoredAndReadBack()
    {
        Submitted(Job());
        var claim = Store.ClaimNext("a", T0, Lease, 3)!;

        Assert.True(Store.Finish(claim.Info.Id, claim.Fence, JobState.Succeeded, new JobProgress("done", 1, ValidationLoss: double.NaN), "h v1", null, T0));

        Assert.True(double.IsNaN(Store.Get(claim.Info.Id)!.Info.Progress.ValidationLoss));
    }

    [Fact]
    public void Heartbeat_BeforeTheLeaseEnds_KeepsOthersFromClaiming()
    {
        var job = Submitted(Job());
        var a = Store.ClaimNext("owner-a", T0, Lease, 3)!;

        Assert.Equal(LeaseState.Held, Store.Heartbeat(job.Info.Id, a.Fence, T0 + TimeSpan.FromSeconds(50), null));

        Assert.Null(Store.ClaimNext("owner-b", T0 + TimeSpan.FromSeconds(40), Lease, 3));
        Assert.NotNull(Store.ClaimNext("owner-b", T0 + TimeSpan.FromSeconds(51), Lease, 3));
    }

    [Fact]
    public void ClaimNext_SeveralQueued_MostUrgentClassFirstThenSubmissionOrder()
    {
        var low = Submitted(Job(priority: Priority.Low));
        var normal1 = Submitted(Job());
        var high = Submitted(Job(priority: Priority.High));
        var normal2 = Submitted(Job());

        var order = Enumerable.Range(0, 4).Select(_ => Store.ClaimNext("a", T0, Lease, 3)!.Info.Id).ToArray();

        Assert.Equal([high.Info.Id, normal1.Info.Id, normal2.Info.Id, low.Info.Id], order);
        Assert.Null(Store.ClaimNext("a", T0, Lease, 3));
    }

    [Fact]
    public void Requeue_WithBackoff_NotClaimedBeforeItsTimeAndKeepsTheError()
    {
        Submitted(Job());
        var first = Store.ClaimNext("a", T0, Lease, 3)!;
        var error = new TransferException(ErrorCode.Internal, "disk hiccup");

        Assert.True(Store.Requeue(first.Info.Id, first.Fence, T0 + TimeSpan.FromSeconds(10), error));

        var queued = Store.Get(first.Info.Id)!;
        Assert.Equal((JobState.Queued, "disk hiccup", 1), (queued.Info.State, queued.Info.Error?.Message, queued.Info.Attempts));
        Assert.Null(Store.ClaimNext("a", T0 + TimeSpan.FromSeconds(9), Lease, 3));
        var second = Store.ClaimNext("a", T0 + TimeSpan.FromSeconds(10), Lease, 3)!;
        Assert.Equal(2, second.Info.Attempts);
        Assert.Equal(T0, second.Info.Started);
    }

    [Fact]
    public void Release_RunningJob_QueuedAgainAtOnceWithoutUsingAnAttempt()
    {
        var job = Submitted(Job());
        var first = Store.ClaimNext("stopping", T0, Lease, 3)!;

        Assert.True(Store.Release(job.Info.Id, first.Fence));

        Assert.Equal((JobState.Queued, 0), (Store.Get(job.Info.Id)!.Info.State, Store.Get(job.Info.Id)!.Info.Attempts));
        var again = Store.ClaimNext("next", T0, Lease, 3)!;
        Assert.Equal((1, first.Fence + 1), (again.Info.Attempts, again.Fence));
    }

    [Fact]
    public void ClaimNext_OwnerDiedOnTheLastAttempt_FailedWithAClearMessageInsteadOfClaimed()
    {
        var job = Submitted(Job());
        var at = T0;
        for (var attempt = 1; attempt <= 3; attempt++, at += Lease + TimeSpan.FromSeconds(1))
            Assert.Equal(attempt, Store.ClaimNext("crashing", at, Lease, 3)!.Info.Attempts);

        Assert.Null(Store.ClaimNext("next", at, Lease, 3));

        var failed = Store.Get(job.Info.Id)!.Info;
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(ErrorCode.Internal, failed.Error?.Code);
        Assert.Contains("started 3 times", failed.Error?.Message);
        Assert.Contains("at most 3 attempts", failed.Error?.Message);
        Assert.Equal(at, failed.Finished);
    }

    [Fact]
    public void RequestCancel_QueuedJob_CancelledAtOnceAndNeverClaimed()
    {
        var job = Submitted(Job());

        var cancelled = Store.RequestCancel(job.Info.Id, T0 + TimeSpan.FromSeconds(1))!;

        Assert.Equal(JobState.Cancelled, cancelled.Info.State);
        Assert.Equal(T0 + TimeSpan.FromSeconds(1), cancelled.Info.Finished);
        Assert.Null(Store.ClaimNext("a", T0 + TimeSpan.FromSeconds(2), Lease, 3));
        Assert.Null(Store.RequestCancel("job-unknown", T0));
    }

    [Fact]
    public void RequestCancel_RunningJob_FlagSeenByHeartbeatAndAnOrphanIsCancelledNotClaimed()
    {
        var job = Submitted(Job());
        var claim = Store.ClaimNext("a", T0, Lease, 3)!;

        var flagged = Store.RequestCancel(job.Info.Id, T0)!;

        Assert.Equal((JobState.Running, true), (flagged.Info.State, flagged.CancelRequested));
        Assert.Equal(LeaseState.CancelRequested, Store.Heartbeat(job.Info.Id, claim.Fence, T0 + Lease, null));
        // The owner dies before it stops the job: whoever comes next finishes the cancel instead of running it.
        Assert.Null(Store.ClaimNext("b", T0 + Lease + TimeSpan.FromSeconds(1), Lease, 3));
        Assert.Equal(JobState.Cancelled, Store.Get(job.Info.Id)!.Info.State);
    }

    [Fact]
    public void RequestCancel_FinishedJob_Unchanged()
    {
        Submitted(Job());
        var claim = Store.ClaimNext("a", T0, Lease, 3)!;
        Store.Finish(claim.Info.Id, claim.Fence, JobState.Failed, claim.Info.Progress, "", new TransferException(ErrorCode.InvalidArgument, "bad", "dataset_id"), T0);

        var after = Store.RequestCancel(claim.Info.Id, T0)!;

        Assert.Equal(JobState.Failed, after.Info.State);
        Assert.Equal((ErrorCode.InvalidArgument, "bad", "dataset_id"), (after.Info.Error!.Code, after.Info.Error.Message, after.Info.Error.Field));
        Assert.False(after.CancelRequested);
    }

    [Fact]
    public void List_25JobsInPagesOf10_EveryJobOnceNewestFirstAndFiltersApply()
    {
        var submitted = Enumerable.Range(0, 25).Select(i => Submitted(Job(tenant: i % 5 == 0 ? "t2" : "t1", kind: i % 2 == 0 ? "even" : "odd"))).ToArray();
        var running = Store.ClaimNext("a", T0, Lease, 3)!;

        var pages = new List<JobPage>();
        string? token = null;
        do
        {
            var page = Store.List(new JobQuery(null, PageSize: 10, PageToken: token));
            pages.Add(page);
            token = page.NextPageToken;
        } while (token is not null);

        Assert.Equal([10, 10, 5], pages.Select(p => p.Jobs.Count));
        Assert.Equal(submitted.Reverse().Select(j => j.Info.Id), pages.SelectMany(p => p.Jobs).Select(j => j.Info.Id));
        Assert.Equal(20, Store.List(new JobQuery("t1")).Jobs.Count);
        Assert.All(Store.List(new JobQuery("t2", Kind: "even")).Jobs, j => Assert.Equal(("t2", "even"), (j.Info.Tenant, j.Info.Kind)));
        Assert.Equal(3, Store.List(new JobQuery("t2", Kind: "even")).Jobs.Count);
        Assert.Equal([running.Info.Id], Store.List(new JobQuery(null, JobState.Running)).Jobs.Select(j => j.Info.Id));
        Assert.Equal(24, Store.List(new JobQuery(null, JobState.Queued)).Jobs.Count);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("YWZ0ZXI6LTE")]
    [InlineData("%%%")]
    public void List_PageTokenItDidNotIssue_InvalidArgumentOnPageToken(string token)
    {
        var error = Assert.Throws<TransferException>(() => Store.List(new JobQuery(null, PageToken: token)));

        Assert.Equal((ErrorCode.InvalidArgument, "page_token"), (error.Code, error.Field));
    }
}
