using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Datasets;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Extraction;
using TransferService.Core.Heads;
using TransferService.Core.Inputs;
using TransferService.Core.Tenants;
using TransferService.Core.Tests.Datasets;
using TransferService.Core.Tests.Embeddings;

namespace TransferService.Core.Tests.Extraction;

/// <summary>The handler against a fake tensor backbone whose embedding of [v] is [v, v], counting every item it prepares:
/// a crash between writing a chunk and committing it resumes at the first uncommitted chunk, and the files end up
/// byte for byte those of an uninterrupted run.</summary>
public sealed class ExtractFeaturesJobTests : IAsyncLifetime
{
    private const int Rows = 10;
    private const int ChunkSize = 3;
    private readonly string _root = Directory.CreateTempSubdirectory("extract-tests").FullName;
    private readonly CountingRuntime _runtime = new();
    private BackboneRegistry _registry = null!;
    private TenantStores _stores = null!;
    private string _datasetId = "";

    public Task InitializeAsync()
    {
        var models = Path.Combine(_root, "models");
        FakeBackbones.Write(models, "tiny");
        _registry = FakeBackbones.Registry(models, _runtime, _runtime.Schedulers);
        _stores = new TenantStores(Path.Combine(_root, "tenants"), new AcceptingExampleValidator());
        using var upload = _stores.Datasets("default").BeginUpload("tensors");
        for (var i = 0; i < Rows; i++) upload.Add(new LabeledExample(new TensorInput([1], new[] { i + 0.5f }), "x"), $"examples[{i}]");
        _datasetId = upload.Complete().Id;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RunAsync_CrashAfterTwoChunks_ResumesAtTheThirdAndWritesIdenticalFiles()
    {
        var job = Job();
        var payload = Payload();
        var crashed = new FakeJobContext("job-crashed", payload, crashAtCommit: 4);     // commits: frozen list, chunks 1, 2, then 3 is lost
        await Assert.ThrowsAsync<TransferException>(() => job.RunAsync(crashed, default));
        var preparedBeforeCrash = _runtime.Prepared;

        // Restarted with another chunk size: the job keeps the one it started with.
        var resumed = new FakeJobContext("job-crashed", payload, crashed.Checkpoint);
        await Job(chunkSize: 4).RunAsync(resumed, default);

        // Chunks 1 and 2 (6 rows) were committed: only rows 6..9 are embedded again.
        Assert.Equal(9, preparedBeforeCrash);
        Assert.Equal(Rows - 2 * ChunkSize, _runtime.Prepared - preparedBeforeCrash);
        await job.RunAsync(new FakeJobContext("job-whole", payload), default);
        var crashedFolder = new ExtractionFolder(_stores.Root, "default", "job-crashed");
        var wholeFolder = new ExtractionFolder(_stores.Root, "default", "job-whole");
        Assert.Equal(File.ReadAllBytes(wholeFolder.Embeddings), File.ReadAllBytes(crashedFolder.Embeddings));
        Assert.Equal(File.ReadAllBytes(wholeFolder.Ids), File.ReadAllBytes(crashedFolder.Ids));
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(wholeFolder.Embeddings).AsSpan(128)).ToArray();
        Assert.Equal(Enumerable.Range(0, Rows).SelectMany(i => new[] { i + 0.5f, i + 0.5f }), values);
        Assert.Equal(Rows, resumed.Reports[^1].ItemsDone);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeTheFirstChunk_EmbedsNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Job().RunAsync(new FakeJobContext("job-cancelled", Payload()), cancelled.Token));

        Assert.Equal(0, _runtime.Prepared);
    }

    private ExtractFeaturesJob Job(int chunkSize = ChunkSize)
    {
        var pipeline = new EmbeddingPipeline(_registry, new LeastLoadedScheduler(_registry), new EmbeddingLimits(),
            new PreparationBudget(1 << 20, TimeSpan.FromSeconds(10), TimeProvider.System), TimeProvider.System);
        var options = new ExtractionOptions { ChunkSize = chunkSize };
        return new ExtractFeaturesJob(pipeline, new ChunkEmbedder(pipeline, new HeadClassifier(pipeline, null!), _stores, options), _stores, new ExtractionItems(_stores, null, options), options,
            new ExtractionCleanup(() => throw new TransferException(ErrorCode.NotFound, "no runner in these tests"), CancellationToken.None), TimeProvider.System);
    }

    private string Payload() => ExtractionPayload.Write(new ExtractionSpec("tiny", "1", 2, ExtractionSourceKind.Dataset, _datasetId, false, []));

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
