using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Extraction;

/// <summary>A bad StartExtraction or DownloadExtraction fails the call with its field named and never shows a server
/// path; nothing is queued.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExtractionBadRequestTests(ServerFixture server)
{
    private readonly ExtractionWorkflow _workflow = new(server.Channel);

    [Theory]
    [InlineData("../outside")]
    [InlineData("sub/../../outside")]
    [InlineData("/etc")]
    public async Task StartExtraction_PathEscapingTheRoot_InvalidArgumentOnFolder(string path)
    {
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Start(new StartExtractionRequest { Folder = path }), "folder");
        AssertNoServerPath(message);
    }

    [Fact]
    public async Task StartExtraction_SymlinkedFolderLeadingOutside_InvalidArgumentOnFolder()
    {
        var outside = OutsideFolderWithImage();
        var link = $"link-{Guid.NewGuid():N}";
        File.CreateSymbolicLink(Path.Combine(server.ImportRoot, link), outside);

        AssertNoServerPath(await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Start(new StartExtractionRequest { Folder = link }), "folder"));
        // A link in a parent folder counts as much as one at the end.
        AssertNoServerPath(await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Start(new StartExtractionRequest { Folder = $"{link}/." }), "folder"));
    }

    [Fact]
    public async Task StartExtraction_FolderHoldingALinkToAnOutsideImage_InvalidArgumentOnFolder()
    {
        var folder = Path.Combine(server.ImportRoot, $"images-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "inside.png"), Png());
        File.CreateSymbolicLink(Path.Combine(folder, "stolen.png"), Path.Combine(OutsideFolderWithImage(), "image.png"));

        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Start(new StartExtractionRequest { Folder = Path.GetFileName(folder) }), "folder");
        Assert.Contains("stolen.png", message);
        AssertNoServerPath(message);
    }

    [Fact]
    public async Task StartExtraction_SymlinkedTextFileLeadingOutside_InvalidArgumentOnJsonlFile()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"secret-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(outside, "{\"text\": \"a secret\"}\n");
        var link = $"link-{Guid.NewGuid():N}.jsonl";
        File.CreateSymbolicLink(Path.Combine(server.ImportRoot, link), outside);

        AssertNoServerPath(await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Start(new StartExtractionRequest { Backbone = "minilm", JsonlFile = link }), "jsonl_file"));
    }

    [Fact]
    public async Task StartExtraction_MissingPaths_NotFoundOnTheirField()
    {
        AssertNoServerPath(await RpcAssert.FailsAsync(StatusCode.NotFound, () => Start(new StartExtractionRequest { Folder = "no-such-folder" }), "folder"));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Start(new StartExtractionRequest { Backbone = "minilm", CsvFile = "no-such.csv" }), "csv_file");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Start(new StartExtractionRequest { DatasetId = "ds-missing" }), "dataset_id");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Start(new StartExtractionRequest { Backbone = "no-such", DatasetId = "ds-x" }), "backbone");
    }

    [Fact]
    public async Task StartExtraction_BadSourceOrHeads_RefusedNamingTheField()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Start(new StartExtractionRequest()), "source");
        var texts = $"texts-{Guid.NewGuid():N}.jsonl";
        await File.WriteAllTextAsync(Path.Combine(server.ImportRoot, texts), "{\"text\": \"fine\"}\n{\"txt\": \"no text field\"}\n");
        Assert.Contains("line 2", await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Start(new StartExtractionRequest { Backbone = "minilm", JsonlFile = texts }), "jsonl_file"));
        // Texts for an image backbone.
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Start(new StartExtractionRequest { JsonlFile = texts }), "jsonl_file");
        var csv = $"texts-{Guid.NewGuid():N}.csv";
        await File.WriteAllTextAsync(Path.Combine(server.ImportRoot, csv), "id,body\n1,hello\n");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Start(new StartExtractionRequest { Backbone = "minilm", CsvFile = csv }), "csv_file");
        var folder = Path.Combine(server.ImportRoot, $"images-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, "a.png"), Png());
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Start(new StartExtractionRequest
        {
            Folder = Path.GetFileName(folder), Heads = { new HeadReference { Name = "no-such-head" } },
        }), "heads[0].name");
    }

    [Fact]
    public async Task DownloadExtraction_UnknownOrUnfinishedJobOrNoFile_RefusedNamingTheField()
    {
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => _workflow.DownloadAsync("job-nonexistent", ExtractionFile.Embeddings), "job_id");
        var texts = $"texts-{Guid.NewGuid():N}.jsonl";
        await File.WriteAllTextAsync(Path.Combine(server.ImportRoot, texts), "{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
        var job = (await _workflow.RunAsync(new StartExtractionRequest { Backbone = "minilm", JsonlFile = texts }))[^1];

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _workflow.DownloadAsync(job.Id, ExtractionFile.Unspecified), "file");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _workflow.DownloadAsync(job.Id, ExtractionFile.Predictions), "file");
        Assert.Equal(["0", "1"], await _workflow.IdsAsync(job.Id));
    }

    [Fact]
    public async Task StartExtraction_ServerWithoutImportRoot_FailedPreconditionSayingHowToEnable()
    {
        var data = Path.Combine(Path.GetTempPath(), $"no-imports-{Guid.NewGuid():N}");
        await using var own = await TestServer.StartAsync(data, new Dictionary<string, string?>
        {
            ["Backbones:ModelRepository"] = server.ModelRepository, ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu",
        });
        var message = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => new ExtractionWorkflow(own.Channel).Extraction.StartExtractionAsync(new StartExtractionRequest { Backbone = "minilm", CsvFile = "texts.csv" }).ResponseAsync,
            "csv_file");
        Assert.Contains("Extraction:ImportRoot", message);
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
    }

    private Task Start(StartExtractionRequest request)
    {
        if (request.Backbone.Length == 0) request.Backbone = "resnet18";
        return _workflow.Extraction.StartExtractionAsync(request).ResponseAsync;
    }

    private void AssertNoServerPath(string message)
    {
        Assert.DoesNotContain(server.DataFolder, message);
        Assert.DoesNotContain(Path.GetTempPath(), message);
    }

    private static string OutsideFolderWithImage()
    {
        var outside = Directory.CreateTempSubdirectory("outside-").FullName;
        File.WriteAllBytes(Path.Combine(outside, "image.png"), Png());
        return outside;
    }

    private static byte[] Png() => TestImages.EncodePng(TestImages.ToRgb224(FashionMnist.Load(train: false, count: 1).Images[0]));
}
