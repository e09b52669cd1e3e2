using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Extraction;

[Collection(ServerCollection.Name)]
public sealed class ExtractionCancelTests(ServerFixture server)
{
    [Fact]
    public async Task CancelJob_ExtractionMidway_StopsAtNextChunkPublishesNothingAndRemovesItsFiles()
    {
        var workflow = new ExtractionWorkflow(server.Channel);
        var (images, labels) = FashionMnist.Load(train: true, count: 1000);
        var dataset = await new HeadWorkflow(server).UploadAsync("extract-cancel", images.Select((image, i) => (TestImages.Gray28(image), $"class-{labels[i]}")));
        var job = (await workflow.Extraction.StartExtractionAsync(new StartExtractionRequest { Backbone = "resnet18", DatasetId = dataset.Id })).Job;
        var folder = Path.Combine(server.DataFolder, "tenants", "default", "extractions", job.Id);

        using (var watch = workflow.Jobs.WatchJob(new WatchJobRequest { JobId = job.Id }))
            await foreach (var update in watch.ResponseStream.ReadAllAsync())
                if (update.Job.Progress.ItemsDone > 0) break;
        Assert.True(File.Exists(Path.Combine(folder, "embeddings.npy")));
        await workflow.Jobs.CancelJobAsync(new CancelJobRequest { JobId = job.Id });
        var final = (await workflow.WatchAsync(job.Id))[^1];

        Assert.Equal(JobState.Cancelled, final.State);
        Assert.True(final.Progress.ItemsDone < 1000, $"the job ran to its end ({final.Progress.ItemsDone} rows) instead of stopping");
        Assert.Contains("cancelled", await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => workflow.DownloadAsync(job.Id, ExtractionFile.Embeddings), "job_id"));
        for (var wait = 0; wait < 50 && Directory.Exists(folder); wait++) await Task.Delay(100);
        Assert.False(Directory.Exists(folder), "the cancelled job's partial files are still there");
    }
}
