using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Hostile;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Jobs;

/// <summary>JobService over gRPC on the shared server: listing with filters and pages, watching across a reconnect,
/// and TrainHead's priority and idempotency key, with bad values refused naming their field.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobServiceTests(ServerFixture server)
{
    private readonly HeadWorkflow _workflow = new(server);

    private async Task<Dataset> ReviewsAsync(string name) => await _workflow.UploadAsync(name, JobsTraining.Reviews(100));

    private async Task<Job> FinalAsync(string id)
    {
        using var watch = _workflow.Jobs.WatchJob(new WatchJobRequest { JobId = id });
        return await JobsTraining.WatchUntilAsync(watch, _ => false);
    }

    [Fact]
    public async Task ListJobs_ThreeFinishedTrainingsInPagesOfTwo_EachOnceNewestFirstAndFiltersApply()
    {
        var dataset = await ReviewsAsync("jobs-list");
        var ids = new List<string>();
        foreach (var name in new[] { "jobs-list-a", "jobs-list-b", "jobs-list-c" })
        {
            var job = (await _workflow.Heads.TrainHeadAsync(JobsTraining.Request(name, dataset.Id, new TrainingConfig { Epochs = 1 }))).Job;
            ids.Add(job.Id);
            Assert.Equal(JobState.Succeeded, (await FinalAsync(job.Id)).State);
        }

        var listed = new List<Job>();
        var request = new ListJobsRequest { PageSize = 2, Kind = "train_head" };
        do
        {
            var page = await _workflow.Jobs.ListJobsAsync(request);
            Assert.InRange(page.Jobs.Count, 0, 2);
            listed.AddRange(page.Jobs);
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
        var succeeded = (await _workflow.Jobs.ListJobsAsync(new ListJobsRequest { State = JobState.Succeeded, PageSize = 1000 })).Jobs;
        var cancelled = (await _workflow.Jobs.ListJobsAsync(new ListJobsRequest { State = JobState.Cancelled, PageSize = 1000 })).Jobs;
        var otherKind = (await _workflow.Jobs.ListJobsAsync(new ListJobsRequest { Kind = "extract_nothing" })).Jobs;

        Assert.Equal(listed.Count, listed.Select(j => j.Id).Distinct().Count());
        Assert.Equal(Enumerable.Reverse(ids), listed.Select(j => j.Id).Where(ids.Contains));
        Assert.All(listed, j => Assert.Equal(("train_head", "default"), (j.Kind, j.Tenant)));
        Assert.Subset(succeeded.Select(j => j.Id).ToHashSet(), ids.ToHashSet());
        Assert.DoesNotContain(cancelled, j => ids.Contains(j.Id));
        Assert.Empty(otherKind);
    }

    [Fact]
    public async Task ListJobs_PageTokenItDidNotIssue_InvalidArgumentOnPageToken()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _workflow.Jobs.ListJobsAsync(new ListJobsRequest { PageToken = "c2VxOjE" }).ResponseAsync, "page_token");
    }

    [Fact]
    public async Task ListJobs_PageSizeOver1000_InvalidArgumentOnPageSize()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _workflow.Jobs.ListJobsAsync(new ListJobsRequest { PageSize = 1001 }).ResponseAsync, "page_size");
    }

    [Fact]
    public async Task WatchJob_ClientReconnectsMidTraining_GetsTheCurrentStateFirstThenFollowsToTheEnd()
    {
        var dataset = await ReviewsAsync("jobs-watch");
        var job = (await _workflow.Heads.TrainHeadAsync(JobsTraining.Request("jobs-watch", dataset.Id, new TrainingConfig { Epochs = 150, BatchSize = 1 }))).Job;
        Job seen;
        using (var first = _workflow.Jobs.WatchJob(new WatchJobRequest { JobId = job.Id }))
            seen = await JobsTraining.WatchUntilAsync(first, j => j.Progress is { Stage: "training", Epoch: >= 1 });

        using var again = _workflow.Jobs.WatchJob(new WatchJobRequest { JobId = job.Id });
        Assert.True(await again.ResponseStream.MoveNext(CancellationToken.None));
        var current = again.ResponseStream.Current.Job;
        var final = await JobsTraining.WatchUntilAsync(again, _ => false);

        Assert.NotEqual(JobState.Queued, current.State);
        Assert.True(current.Progress.Fraction >= seen.Progress.Fraction, $"{current.Progress.Fraction} after {seen.Progress.Fraction}");
        Assert.Equal((JobState.Succeeded, "jobs-watch v1"), (final.State, final.Result));
    }

    [Fact]
    public async Task TrainHead_SameIdempotencyKeyTwice_SameJobAndOneHeadVersion()
    {
        var dataset = await ReviewsAsync("jobs-idempotent");
        var request = JobsTraining.Request("jobs-idempotent", dataset.Id, new TrainingConfig { Epochs = 2 });
        request.IdempotencyKey = "client-retry-42";
        request.Priority = JobPriority.High;

        var first = (await _workflow.Heads.TrainHeadAsync(request)).Job;
        var again = (await _workflow.Heads.TrainHeadAsync(request)).Job;
        var final = await FinalAsync(first.Id);
        var afterTheEnd = (await _workflow.Heads.TrainHeadAsync(request)).Job;
        request.IdempotencyKey = "client-retry-43";
        var other = (await _workflow.Heads.TrainHeadAsync(request)).Job;
        await FinalAsync(other.Id);
        var head = (await _workflow.Heads.ListHeadsAsync(new ListHeadsRequest())).Heads.Single(h => h.Name == "jobs-idempotent");

        Assert.Equal(first.Id, again.Id);
        Assert.Equal((first.Id, JobState.Succeeded), (afterTheEnd.Id, afterTheEnd.State));
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal((JobPriority.High, "client-retry-42", 1u, "jobs-idempotent v1"), (final.Priority, final.IdempotencyKey, final.Attempts, final.Result));
        Assert.Equal([1u, 2u], head.Versions);
    }

    [Fact]
    public async Task TrainHead_PriorityOutOfRange_InvalidArgumentOnPriority()
    {
        var request = JobsTraining.Request("jobs-bad-priority", "any", new TrainingConfig());
        request.Priority = (JobPriority)9;

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _workflow.Heads.TrainHeadAsync(request).ResponseAsync, "priority");
    }

    [Fact]
    public async Task TrainHead_IdempotencyKeyOf129Characters_InvalidArgumentOnIdempotencyKey()
    {
        var dataset = await ReviewsAsync("jobs-long-key");
        var request = JobsTraining.Request("jobs-long-key", dataset.Id, new TrainingConfig { Epochs = 1 });
        request.IdempotencyKey = new string('k', 129);

        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _workflow.Heads.TrainHeadAsync(request).ResponseAsync, "idempotency_key");

        Assert.Contains("at most 128", message);
    }
}
