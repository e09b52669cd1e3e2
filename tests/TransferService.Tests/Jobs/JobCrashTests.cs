using System.Diagnostics;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Hostile;
using TransferService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TransferService.Tests.Jobs;

/// <summary>kill -9 of a real service process, then a restart on the same data folder: accepted jobs are not lost, a
/// job killed mid-way runs again and stores exactly one head version, a queued job stays queued, and an upload cut off
/// leaves nothing visible behind.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobCrashTests(ServerFixture server, ITestOutputHelper output)
{
    /// <summary>Starts a service on <paramref name="folder"/>, queues a 200-epoch training and a short one behind it,
    /// and kills the service with kill -9 once the first is training.</summary>
    private async Task<(Dataset Dataset, Job Killed, Job Queued)> KillMidTrainingAsync(string folder, Dictionary<string, string?> settings, Stopwatch clock)
    {
        await using var child = await ChildServer.StartAsync(folder, settings);
        var workflow = new HeadWorkflow(child.Channel);
        var dataset = await workflow.UploadAsync("points", CrashTraining.Points(200));
        var killed = (await workflow.Heads.TrainHeadAsync(CrashTraining.Request("crash-killed", dataset.Id, 200, "train-killed"))).Job;
        var queued = (await workflow.Heads.TrainHeadAsync(CrashTraining.Request("crash-queued", dataset.Id, 2, "train-queued"))).Job;
        using var watch = workflow.Jobs.WatchJob(new WatchJobRequest { JobId = killed.Id });
        var training = await JobsTraining.WatchUntilAsync(watch, j => j.Progress is { Stage: "training", Epoch: >= 1 });
        Assert.Equal(JobState.Running, training.State);
        output.WriteLine($"killed at epoch {training.Progress.Epoch} of 200, {clock.Elapsed.TotalSeconds:F1} s in");
        child.Kill();
        return (dataset, killed, queued);
    }

    [Fact]
    public async Task TrainHead_ServiceKilledMidTraining_RestartFinishesItWithOneHeadVersionAndTheQueuedJobStaysQueued()
    {
        TinyTensorBackbone.Create(server.ModelRepository, CrashTraining.Backbone);
        var folder = Path.Combine(server.DataFolder, $"crash-training-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        var (dataset, killed, queued) = await KillMidTrainingAsync(folder, CrashTraining.Settings(server), clock);

        await using var restarted = await ChildServer.StartAsync(folder, CrashTraining.Settings(server));
        output.WriteLine($"restarted service SERVING {clock.Elapsed.TotalSeconds:F1} s in");
        var after = new HeadWorkflow(restarted.Channel);
        var queuedAfterRestart = (await after.Jobs.GetJobAsync(new GetJobRequest { JobId = queued.Id })).Job;
        using var watchAgain = after.Jobs.WatchJob(new WatchJobRequest { JobId = killed.Id });
        var final = await JobsTraining.WatchUntilAsync(watchAgain, _ => false);
        output.WriteLine($"restarted job finished {clock.Elapsed.TotalSeconds:F1} s in");
        using var watchQueued = after.Jobs.WatchJob(new WatchJobRequest { JobId = queued.Id });
        var queuedFinal = await JobsTraining.WatchUntilAsync(watchQueued, _ => false);
        var resubmitted = (await after.Heads.TrainHeadAsync(CrashTraining.Request("crash-killed", dataset.Id, 200, "train-killed"))).Job;
        var heads = (await after.Heads.ListHeadsAsync(new ListHeadsRequest())).Heads.ToDictionary(h => h.Name);

        Assert.Equal(JobState.Queued, queuedAfterRestart.State);
        Assert.Equal((JobState.Succeeded, "crash-killed v1", 2u), (final.State, final.Result, final.Attempts));
        Assert.Equal((JobState.Succeeded, "crash-queued v1", 1u), (queuedFinal.State, queuedFinal.Result, queuedFinal.Attempts));
        Assert.Equal((killed.Id, JobState.Succeeded), (resubmitted.Id, resubmitted.State));
        Assert.Equal([1u], heads["crash-killed"].Versions);
        Assert.Equal([1u], heads["crash-queued"].Versions);
    }

    [Fact]
    public async Task TrainHead_KilledOnItsLastAttempt_FailsAfterRestartSayingSoAndTheNextJobRuns()
    {
        TinyTensorBackbone.Create(server.ModelRepository, CrashTraining.Backbone);
        var folder = Path.Combine(server.DataFolder, $"crash-loop-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string?>(CrashTraining.Settings(server)) { ["Jobs:MaxAttempts"] = "1" };
        var (_, killed, queued) = await KillMidTrainingAsync(folder, settings, Stopwatch.StartNew());

        await using var restarted = await ChildServer.StartAsync(folder, settings);
        var after = new HeadWorkflow(restarted.Channel);
        using var watch = after.Jobs.WatchJob(new WatchJobRequest { JobId = killed.Id });
        var final = await JobsTraining.WatchUntilAsync(watch, _ => false);
        using var watchQueued = after.Jobs.WatchJob(new WatchJobRequest { JobId = queued.Id });
        var queuedFinal = await JobsTraining.WatchUntilAsync(watchQueued, _ => false);

        Assert.Equal((JobState.Failed, (int)StatusCode.Internal, 1u), (final.State, final.ErrorCode, final.Attempts));
        Assert.Contains("started once and the service stopped or crashed each time before it finished", final.ErrorMessage);
        Assert.Equal((JobState.Succeeded, "crash-queued v1"), (queuedFinal.State, queuedFinal.Result));
        Assert.DoesNotContain((await after.Heads.ListHeadsAsync(new ListHeadsRequest())).Heads, h => h.Name == "crash-killed");
    }

    [Fact]
    public async Task UploadDataset_ServiceKilledMidUpload_NothingVisibleAfterRestartAndTheNextUploadWorks()
    {
        var folder = Path.Combine(server.DataFolder, $"crash-upload-{Guid.NewGuid():N}");
        var datasets = Path.Combine(folder, "tenants", "default", "datasets");
        await using (var child = await ChildServer.StartAsync(folder, CrashTraining.Settings(server)))
        {
            var client = new DatasetService.DatasetServiceClient(child.Channel);
            var call = client.UploadDataset();
            var first = true;
            foreach (var chunk in CrashTraining.Points(500).Chunk(100))
            {
                var message = new UploadDatasetRequest { Name = first ? "cut-off" : "" };
                message.Examples.AddRange(chunk.Select(e => new LabeledExample { Input = e.Input, Label = e.Label }));
                await call.RequestStream.WriteAsync(message);
                first = false;
            }
            // The service has begun writing the upload: its unpublished folder holds examples.
            await WaitUntilAsync(() => Directory.Exists(datasets) && Directory.EnumerateDirectories(datasets, ".*")
                .Any(d => Directory.EnumerateFiles(d).Any(f => new FileInfo(f).Length > 0)));
            child.Kill();
            call.Dispose();
        }

        await using var restarted = await ChildServer.StartAsync(folder, CrashTraining.Settings(server));
        var workflow = new HeadWorkflow(restarted.Channel);
        var listed = (await workflow.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets;
        var next = await workflow.UploadAsync("after-crash", CrashTraining.Points(300));

        Assert.Empty(listed);
        Assert.Empty(Directory.EnumerateDirectories(datasets, ".*"));
        Assert.Equal(300u, next.Count);
        Assert.Equal([next.Id], (await workflow.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets.Select(d => d.Id));
        var error = await Assert.ThrowsAsync<RpcException>(() => workflow.Datasets.GetDatasetAsync(new GetDatasetRequest { DatasetId = "cut-off" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition()) await Task.Delay(20, timeout.Token);
    }
}
