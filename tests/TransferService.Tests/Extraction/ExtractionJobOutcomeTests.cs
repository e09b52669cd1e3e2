using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Extraction;

/// <summary>What only the job can find out, and what the same request twice does.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExtractionJobOutcomeTests(ServerFixture server)
{
    private readonly ExtractionWorkflow _workflow = new(server.Channel);

    [Fact]
    public async Task StartExtraction_FolderWithACorruptImage_JobFailsNamingTheRowAndLeavesNoFiles()
    {
        var folder = Path.Combine(server.ImportRoot, $"images-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "a.png"), TestImages.EncodePng(TestImages.ToRgb224(FashionMnist.Load(train: false, count: 1).Images[0])));
        await File.WriteAllBytesAsync(Path.Combine(folder, "b.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);

        var job = (await _workflow.Extraction.StartExtractionAsync(new StartExtractionRequest { Backbone = "resnet18", Folder = Path.GetFileName(folder) })).Job;
        var final = (await _workflow.WatchAsync(job.Id))[^1];

        Assert.Equal(JobState.Failed, final.State);
        Assert.Equal((int)global::Grpc.Core.StatusCode.InvalidArgument, final.ErrorCode);
        Assert.Equal("folder", final.ErrorField);
        Assert.Contains("row 1", final.ErrorMessage);
        var files = Path.Combine(server.DataFolder, "tenants", "default", "extractions", job.Id);
        for (var wait = 0; wait < 50 && Directory.Exists(files); wait++) await Task.Delay(100);
        Assert.False(Directory.Exists(files), "the failed job's files are still there");
    }

    [Fact]
    public async Task StartExtraction_SameIdempotencyKeyTwice_ReturnsTheFirstJob()
    {
        var texts = $"texts-{Guid.NewGuid():N}.jsonl";
        await File.WriteAllTextAsync(Path.Combine(server.ImportRoot, texts), "{\"text\": \"one\"}\n");
        var request = new StartExtractionRequest { Backbone = "minilm", JsonlFile = texts, IdempotencyKey = $"key-{Guid.NewGuid():N}", Priority = JobPriority.Low };

        var first = (await _workflow.Extraction.StartExtractionAsync(request)).Job;
        var second = (await _workflow.Extraction.StartExtractionAsync(request)).Job;

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(JobState.Succeeded, (await _workflow.WatchAsync(first.Id))[^1].State);
    }
}
