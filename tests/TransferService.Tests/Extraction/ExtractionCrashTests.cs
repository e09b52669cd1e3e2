using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Extraction;

/// <summary>kill -9 of a real server process in the middle of an extraction job, then a restart on the same data folder.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExtractionCrashTests(ServerFixture server)
{
    private const int Rows = 192;
    private const int ChunkSize = 32;

    [Fact]
    public async Task StartExtraction_ServerKilledMidway_ResumesAtFirstUnfinishedChunkWithOutputIdenticalToAnUninterruptedRun()
    {
        var data = Path.Combine(Path.GetTempPath(), $"extract-crash-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string?>
        {
            ["Backbones:ModelRepository"] = server.ModelRepository, ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu",
            ["Extraction:ChunkSize"] = ChunkSize.ToString(),
        };
        try
        {
            var (datasetId, jobId, doneBeforeKill) = await StartAndKillMidwayAsync(data, settings);
            Assert.InRange(doneBeforeKill, (ulong)ChunkSize, (ulong)(Rows - ChunkSize));

            await using var restarted = await ChildServer.StartAsync(data, settings);
            var workflow = new ExtractionWorkflow(restarted.Channel);
            var resumed = (await workflow.WatchAsync(jobId))[^1];
            Assert.True(resumed.State == JobState.Succeeded, $"{resumed.State}: {resumed.ErrorMessage}\n{restarted.OutputTail}");
            var backbones = new BackboneService.BackboneServiceClient(restarted.Channel);
            var embeddedAfterRestart = (await backbones.GetBackboneAsync(new GetBackboneRequest { Name = "resnet18" })).Backbone.ItemsEmbedded;

            // Only unfinished chunks ran again: whole chunks, none of those committed before the kill, and some were left.
            Assert.InRange(embeddedAfterRestart, (ulong)ChunkSize, Rows - doneBeforeKill);
            Assert.Equal(0ul, embeddedAfterRestart % ChunkSize);
            var uninterrupted = (await workflow.RunAsync(new StartExtractionRequest { Backbone = "resnet18", DatasetId = datasetId }))[^1];
            Assert.Equal(await workflow.DownloadAsync(uninterrupted.Id, ExtractionFile.Embeddings), await workflow.DownloadAsync(jobId, ExtractionFile.Embeddings));
            Assert.Equal(await workflow.DownloadAsync(uninterrupted.Id, ExtractionFile.Ids), await workflow.DownloadAsync(jobId, ExtractionFile.Ids));
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Uploads the rows, starts the job and kills the server once WatchJob shows a committed chunk; returns the
    /// rows it had seen done.</summary>
    private static async Task<(string DatasetId, string JobId, ulong DoneBeforeKill)> StartAndKillMidwayAsync(string data, Dictionary<string, string?> settings)
    {
        var (images, labels) = FashionMnist.Load(train: true, count: Rows);
        await using var child = await ChildServer.StartAsync(data, settings);
        var workflow = new ExtractionWorkflow(child.Channel);
        var datasetId = (await new HeadWorkflow(child.Channel).UploadAsync("crash", images.Select((image, i) => (TestImages.Gray28(image), $"class-{labels[i]}")))).Id;
        var jobId = (await workflow.Extraction.StartExtractionAsync(new StartExtractionRequest { Backbone = "resnet18", DatasetId = datasetId })).Job.Id;
        ulong done = 0;
        using (var watch = workflow.Jobs.WatchJob(new WatchJobRequest { JobId = jobId }))
            await foreach (var update in watch.ResponseStream.ReadAllAsync())
                if ((done = update.Job.Progress.ItemsDone) > 0) break;
        child.Kill();
        return (datasetId, jobId, done);
    }
}
