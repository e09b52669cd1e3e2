using System.Diagnostics;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TransferService.Tests.Hostile;

/// <summary>CancelJob against the real server: a running training stops at its next step and publishes nothing, a
/// queued one is cancelled at once, and the runner goes on to the next job.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobsCancelTests(ServerFixture server, ITestOutputHelper output)
{
    private readonly HeadWorkflow _workflow = new(server);

    private async Task<Job> SubmitAsync(string name, TrainingConfig config)
    {
        var dataset = await _workflow.UploadAsync(name, JobsTraining.Reviews(100));
        return (await _workflow.Heads.TrainHeadAsync(JobsTraining.Request(name, dataset.Id, config))).Job;
    }

    [Fact]
    public async Task CancelJob_RunningTraining_EndsCancelledWithinTwoSecondsPublishesNothingAndTheNextJobRuns()
    {
        var running = await SubmitAsync("jobs-cancel-running", JobsTraining.LongRun);
        var next = await SubmitAsync("jobs-cancel-next", new TrainingConfig { Epochs = 2 });
        try
        {
            using var watch = _workflow.Jobs.WatchJob(new WatchJobRequest { JobId = running.Id });
            var training = await JobsTraining.WatchUntilAsync(watch, j => j.Progress.Stage == "training");
            Assert.Equal(JobState.Running, training.State);
            Assert.Equal(JobState.Queued, (await _workflow.Jobs.GetJobAsync(new GetJobRequest { JobId = next.Id })).Job.State);

            var clock = Stopwatch.StartNew();
            await _workflow.Jobs.CancelJobAsync(new CancelJobRequest { JobId = running.Id });
            var final = await JobsTraining.WatchUntilAsync(watch, _ => false);
            clock.Stop();
            output.WriteLine($"CancelJob to final snapshot: {clock.Elapsed.TotalMilliseconds:F0} ms, at epoch {final.Progress.Epoch} step {final.Progress.Step}");

            Assert.Equal(JobState.Cancelled, final.State);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancelled after {clock.Elapsed.TotalSeconds:F2} s");
            Assert.True(final.Progress.Epoch < JobsTraining.LongRun.Epochs, $"stopped at epoch {final.Progress.Epoch}");
            using var nextWatch = _workflow.Jobs.WatchJob(new WatchJobRequest { JobId = next.Id });
            Assert.Equal("jobs-cancel-next v1", (await JobsTraining.WatchUntilAsync(nextWatch, _ => false)).Result);
            var heads = (await _workflow.Heads.ListHeadsAsync(new ListHeadsRequest())).Heads;
            Assert.DoesNotContain(heads, h => h.Name == "jobs-cancel-running");
        }
        finally
        {
            await JobsTraining.CancelActiveAsync(_workflow.Jobs, [running.Id, next.Id]);
        }
    }

    [Fact]
    public async Task CancelJob_QueuedJob_CancelledAtOnceAndNeverRuns()
    {
        var running = await SubmitAsync("jobs-cancel-ahead", JobsTraining.LongRun);
        var queued = await SubmitAsync("jobs-cancel-queued", new TrainingConfig { Epochs = 2 });
        try
        {
            var cancelled = (await _workflow.Jobs.CancelJobAsync(new CancelJobRequest { JobId = queued.Id })).Job;

            Assert.Equal(JobState.Cancelled, cancelled.State);
            Assert.NotNull(cancelled.Finished);
            Assert.Null(cancelled.Started);
            await _workflow.Jobs.CancelJobAsync(new CancelJobRequest { JobId = running.Id });
            using var watch = _workflow.Jobs.WatchJob(new WatchJobRequest { JobId = running.Id });
            Assert.Equal(JobState.Cancelled, (await JobsTraining.WatchUntilAsync(watch, _ => false)).State);
            Assert.Equal(JobState.Cancelled, (await _workflow.Jobs.GetJobAsync(new GetJobRequest { JobId = queued.Id })).Job.State);
            var heads = (await _workflow.Heads.ListHeadsAsync(new ListHeadsRequest())).Heads;
            Assert.DoesNotContain(heads, h => h.Name is "jobs-cancel-ahead" or "jobs-cancel-queued");
        }
        finally
        {
            await JobsTraining.CancelActiveAsync(_workflow.Jobs, [running.Id, queued.Id]);
        }
    }

    [Fact]
    public async Task CancelJob_FinishedJob_FailedPrecondition()
    {
        var dataset = await _workflow.UploadAsync("jobs-cancel-done", JobsTraining.Reviews(100));
        var snapshots = await _workflow.TrainAsync(JobsTraining.Request("jobs-cancel-done", dataset.Id, new TrainingConfig { Epochs = 1 }));

        var message = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => _workflow.Jobs.CancelJobAsync(new CancelJobRequest { JobId = snapshots[^1].Id }).ResponseAsync, "job_id");

        Assert.Contains("succeeded", message);
    }

    [Fact]
    public async Task CancelJob_UnknownId_NotFound()
    {
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => _workflow.Jobs.CancelJobAsync(new CancelJobRequest { JobId = "job-0123456789a" }).ResponseAsync, "job_id");
    }
}
