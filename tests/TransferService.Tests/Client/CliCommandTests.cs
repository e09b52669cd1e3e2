using TransferService.Client;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Client;

/// <summary>The <c>transfer</c> command's single-call commands against the real server, and how it reports a
/// server's error: one line with the status code and the field, exit code 1.</summary>
[Collection(ServerCollection.Name)]
public sealed class CliCommandTests(ServerFixture server) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cli-");

    [Fact]
    public async Task Embed_ImageFolder_WritesNpyThatNumpyReadsWithTheServersEmbeddings()
    {
        var (images, _) = FashionMnist.Load(train: false, 3);
        var pngs = images.Select(i => TestImages.EncodePng(TestImages.ToRgb224(i))).ToArray();
        for (var i = 0; i < pngs.Length; i++) File.WriteAllBytes(Path.Combine(_folder.FullName, $"{i}.png"), pngs[i]);
        var npy = Path.Combine(_folder.FullName, "out.npy");

        var run = (await CliRun.RunAsync(server.App, "embed", "--backbone", "resnet18", _folder.FullName, "--output", npy, "--batch-size", "2")).Succeeded();

        Assert.Contains("3 embeddings of 512 floats", run.Output);
        var (rows, columns, values) = await Numpy.LoadAsync(npy);
        Assert.Equal((3, 512), (rows, columns));
        using var client = new TransferClient(server.Channel);
        var request = new EmbedRequest { Backbone = "resnet18" };
        request.Inputs.AddRange(pngs.Select(p => new Input { Image = Google.Protobuf.ByteString.CopyFrom(p) }));
        var expected = (await client.Embeddings.EmbedAsync(request)).Embeddings;
        Assert.True(values.Zip(expected).All(p => Math.Abs(p.First - p.Second) < 1e-3f), "the .npy rows differ from Embed's answer");
        Assert.Equal(Enumerable.Range(0, 3).Select(i => Path.Combine(_folder.FullName, $"{i}.png")),
            File.ReadAllLines(Path.Combine(_folder.FullName, "out.ids.txt")));
    }

    [Fact]
    public async Task DatasetsUpload_CsvOfTexts_StoresEveryRecordWithItsLabel()
    {
        var csv = Path.Combine(_folder.FullName, "tickets.csv");
        File.WriteAllText(csv, "text,label\n\"I was charged twice, again\",billing\nThe app crashes when I log in,bug\n" +
                               "\"Refund my \"\"last\"\" payment\nplease\",billing\n");

        var run = (await CliRun.RunAsync(server.App, "datasets", "upload", csv)).Succeeded();

        Assert.Matches(@"dataset \S+ 'tickets': 3 examples, 2 labels", run.Output);
        Assert.Matches(@"│ billing\s*│\s*2\s*│", run.Output);
    }

    [Fact]
    public async Task HeadsTrain_DefaultSearch_EndsOnTheRefitWithNoValidationAccuracyToShow()
    {
        // Two categories of fortune cookies, 24 each: the default grid ends by refitting its winner on every row,
        // whose epochs have no validation rows (the service sends NaN for their validation numbers).
        var (train, _) = FortuneCategories.Load(seed: 4);
        var datasetId = await CliRun.UploadTextsAsync(server.App, _folder.FullName, "cli-refit",
            new[] { "startrek", "food" }.SelectMany(label => train.Where(t => t.Label == label).Take(24)));

        var run = (await CliRun.RunAsync(server.App, "heads", "train", "--name", "cli-refit", "--backbone", "minilm", "--dataset", datasetId)).Succeeded();

        Assert.Matches(@"SUCCEEDED done, epoch \d+, loss [\d.eE+-]+ cli-refit v1", run.Output);
        Assert.DoesNotContain("NaN", run.Output);
        var show = (await CliRun.RunAsync(server.App, "heads", "show", "cli-refit")).Succeeded();
        Assert.Matches(@"accuracy\s*│\s*\d+\.\d%", show.Output);
        Assert.DoesNotContain("NaN", show.Output);
    }

    [Fact]
    public async Task HeadsShow_HeadWithNothingHeldOut_ShowsNotMeasuredInsteadOfNaN()
    {
        var datasetId = await CliRun.UploadTextsAsync(server.App, _folder.FullName, "cli-single",
            [("The printer is out of paper again", "office"), ("The striker scored twice in the final", "sports")]);
        (await CliRun.RunAsync(server.App, "heads", "train", "--name", "cli-single", "--backbone", "minilm", "--dataset", datasetId,
            "--epochs", "5", "--learning-rate", "0.01")).Succeeded();

        var show = (await CliRun.RunAsync(server.App, "heads", "show", "cli-single")).Succeeded();

        Assert.Matches(@"examples \(train / validation\)\s*│\s*2 / 0", show.Output);
        Assert.Matches(@"accuracy\s*│\s*n/a", show.Output);
        Assert.Matches(@"validation loss \(calibrated\)\s*│\s*n/a \(n/a\)", show.Output);
        Assert.DoesNotContain("NaN", show.Output);
    }

    [Fact]
    public async Task HeadsAliasAndDelete_TwoVersions_AliasMovesAndDeletesTakeOneVersionThenAll()
    {
        var datasetId = await CliRun.UploadTextsAsync(server.App, _folder.FullName, "cli-alias",
            [("The printer is out of paper again", "office"), ("The meeting moved to room four", "office"),
             ("The striker scored twice in the final", "sports"), ("The referee showed a red card", "sports")]);
        for (var i = 0; i < 2; i++)
            (await CliRun.RunAsync(server.App, "heads", "train", "--name", "cli-alias", "--backbone", "minilm", "--dataset", datasetId,
                "--epochs", "3", "--learning-rate", "0.01")).Succeeded();

        Assert.Contains("cli-alias@prod → v2", (await CliRun.RunAsync(server.App, "heads", "alias", "cli-alias", "prod")).Succeeded().Output);
        Assert.Contains("cli-alias@prod → v1", (await CliRun.RunAsync(server.App, "heads", "alias", "cli-alias:1", "prod")).Succeeded().Output);
        var classified = (await CliRun.RunAsync(server.App, "classify", "--backbone", "minilm", "--head", "cli-alias@prod", "--text", "Who took the stapler")).Succeeded();
        Assert.Contains("cli-alias v1", classified.Output);
        var missing = await CliRun.RunAsync(server.App, "heads", "alias", "cli-alias:9", "prod");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: NOT_FOUND (version):", missing.Error);

        Assert.Contains("deleted cli-alias@prod", (await CliRun.RunAsync(server.App, "heads", "delete", "cli-alias@prod")).Succeeded().Output);
        Assert.Matches(@"│ cli-alias\s*│ 2\s*│", (await CliRun.RunAsync(server.App, "heads", "list")).Succeeded().Output);
        Assert.Contains("deleted every version of cli-alias", (await CliRun.RunAsync(server.App, "heads", "delete", "cli-alias")).Succeeded().Output);
        Assert.DoesNotContain("cli-alias", (await CliRun.RunAsync(server.App, "heads", "list")).Succeeded().Output);
    }

    [Fact]
    public async Task DatasetsDelete_UploadedDataset_IsGoneAndASecondDeleteIsNotFound()
    {
        var datasetId = await CliRun.UploadTextsAsync(server.App, _folder.FullName, "cli-delete", [("A short note", "a"), ("Another note", "b")]);

        Assert.Contains($"deleted dataset {datasetId}", (await CliRun.RunAsync(server.App, "datasets", "delete", datasetId)).Succeeded().Output);

        Assert.DoesNotContain(datasetId, (await CliRun.RunAsync(server.App, "datasets", "list")).Succeeded().Output);
        var again = await CliRun.RunAsync(server.App, "datasets", "delete", datasetId);
        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("error: NOT_FOUND (dataset_id):", again.Error);
    }

    [Fact]
    public async Task Backbones_ListLoadUnload_ShowsTheBuiltInsAndANewBackbonesStateChanging()
    {
        // A backbone of its own: unloading a built-in would change what the shared server's other tests run on.
        TinyTensorBackbone.Create(server.ModelRepository, "cli-tiny");

        Assert.Matches(@"^cli-tiny \S+: ready on cpu", (await CliRun.RunAsync(server.App, "backbones", "load", "cli-tiny")).Succeeded().Output);
        var list = (await CliRun.RunAsync(server.App, "backbones", "list")).Succeeded().Output;
        Assert.Matches(@"│ resnet18\s*│ \S+\s*│ image\s*│ 512\s*│ ready\s*│ cpu", list);
        Assert.Matches(@"│ minilm\s*│ \S+\s*│ text\s*│ 384\s*│ ready\s*│ cpu", list);
        Assert.Matches(@"│ cli-tiny\s*│ \S+\s*│ tensor\s*│ 3\s*│ ready\s*│ cpu", list);
        Assert.Matches(@"^cli-tiny \S+: available\s*$", (await CliRun.RunAsync(server.App, "backbones", "unload", "cli-tiny")).Succeeded().Output);
        var unknown = await CliRun.RunAsync(server.App, "backbones", "load", "no-such-backbone");
        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("error: NOT_FOUND (name):", unknown.Error);
    }

    [Fact]
    public async Task Health_ServingServer_PrintsServingAndExitsZero()
    {
        var run = (await CliRun.RunAsync(server.App, "health")).Succeeded();
        Assert.Matches(@"\(server\)\s*│\s*SERVING", run.Output);
    }

    [Fact]
    public async Task DatasetsUpload_FolderWithCorruptImage_PrintsInvalidArgumentWithFieldAndExitsOne()
    {
        var label = Directory.CreateDirectory(Path.Combine(_folder.FullName, "data", "a")).FullName;
        var (images, _) = FashionMnist.Load(train: true, 1);
        File.WriteAllBytes(Path.Combine(label, "0.png"), TestImages.EncodePng(TestImages.ToRgb224(images[0])));
        File.WriteAllBytes(Path.Combine(label, "1.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);

        var run = await CliRun.RunAsync(server.App, "datasets", "upload", Path.Combine(_folder.FullName, "data"), "--name", "corrupt");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: INVALID_ARGUMENT (examples[1].image): examples[1]: ", run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task HeadsShow_UnknownHead_PrintsNotFoundAndExitsOne()
    {
        var run = await CliRun.RunAsync(server.App, "heads", "show", "no-such-head");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: NOT_FOUND", run.Error);
    }

    [Fact]
    public async Task Health_NoServerListening_PrintsUnavailableWithTheAddressAndExitsOne()
    {
        var run = await CliRun.RunAsync(["health", "--address", "http://127.0.0.1:9"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: UNAVAILABLE", run.Error);
        Assert.Contains("http://127.0.0.1:9", run.Error);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
