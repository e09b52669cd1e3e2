using System.Text.Json;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Extraction;

/// <summary>Every kind of source end to end through the real server: numpy reads the downloaded rows, and each row is
/// what the Embed RPC answers for the same input.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExtractionSourcesTests(ServerFixture server)
{
    private readonly ExtractionWorkflow _workflow = new(server.Channel);

    [Fact]
    public async Task StartExtraction_UploadedDataset_NumpyReadsRowsEqualToEmbed()
    {
        var (images, labels) = FashionMnist.Load(train: false, count: 150);
        var inputs = images.Select(TestImages.Gray28).ToArray();
        var dataset = await new HeadWorkflow(server).UploadAsync("extract-150", inputs.Select((input, i) => (input, $"class-{labels[i]}")));

        var snapshots = await _workflow.RunAsync(new StartExtractionRequest { Backbone = "resnet18", DatasetId = dataset.Id, Normalize = true });

        var (rows, columns, values) = await _workflow.LoadNumpyAsync(snapshots[^1].Id, ExtractionFile.Embeddings);
        Assert.Equal((150, 512), (rows, columns));
        ExtractionWorkflow.AssertClose(await _workflow.EmbedAsync("resnet18", inputs, normalize: true), values);
        Assert.Equal(Enumerable.Range(0, 150).Select(i => i.ToString()), await _workflow.IdsAsync(snapshots[^1].Id));
        // Progress as WatchJob shows it: rows done of the total, a rate once a chunk is done, ending at every row.
        var midway = snapshots.Where(s => s.Progress.ItemsDone is > 0 and < 150).ToArray();
        Assert.NotEmpty(midway);
        Assert.All(midway, s => Assert.Equal(150ul, s.Progress.ItemsTotal));
        Assert.Contains(midway, s => s.Progress.ItemsPerSecond > 0 && s.Progress.EtaSeconds > 0);
        Assert.Equal(150ul, snapshots[^1].Progress.ItemsDone);
    }

    [Fact]
    public async Task StartExtraction_FolderOfImages_RowsInNameOrderEqualToEmbed()
    {
        var folder = Path.Combine(server.ImportRoot, $"images-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var (images, _) = FashionMnist.Load(train: false, count: 70);
        var files = images.Select((image, i) => (Name: $"item-{i:D3}.png", Bytes: TestImages.EncodePng(TestImages.ToRgb224(image)))).ToArray();
        foreach (var (name, bytes) in files) await File.WriteAllBytesAsync(Path.Combine(folder, name), bytes);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not an image: skipped");

        var job = (await _workflow.RunAsync(new StartExtractionRequest { Backbone = "resnet18", Folder = Path.GetFileName(folder) }))[^1];

        Assert.Equal(files.Select(f => f.Name), await _workflow.IdsAsync(job.Id));
        var (rows, _, values) = await _workflow.LoadNumpyAsync(job.Id, ExtractionFile.Embeddings);
        Assert.Equal(70, rows);
        var expected = await _workflow.EmbedAsync("resnet18", files.Select(f => new Input { Image = Google.Protobuf.ByteString.CopyFrom(f.Bytes) }), normalize: false);
        ExtractionWorkflow.AssertClose(expected, values);
    }

    [Fact]
    public async Task StartExtraction_JsonlTexts_IdsFromFileAndRowsEqualToEmbed()
    {
        var texts = Texts(80);
        var file = $"texts-{Guid.NewGuid():N}.jsonl";
        await File.WriteAllLinesAsync(Path.Combine(server.ImportRoot, file),
            texts.Select((t, i) => i % 3 == 0 ? JsonSerializer.Serialize(new { text = t }) : JsonSerializer.Serialize(new { id = $"mail-{i}", text = t })));

        var job = (await _workflow.RunAsync(new StartExtractionRequest { Backbone = "minilm", JsonlFile = file }))[^1];

        Assert.Equal(texts.Select((_, i) => i % 3 == 0 ? i.ToString() : $"mail-{i}"), await _workflow.IdsAsync(job.Id));
        var (rows, columns, values) = await _workflow.LoadNumpyAsync(job.Id, ExtractionFile.Embeddings);
        Assert.Equal((80, 384), (rows, columns));
        ExtractionWorkflow.AssertClose(await _workflow.EmbedAsync("minilm", texts.Select(HeadWorkflow.Text), normalize: false), values);
    }

    [Fact]
    public async Task StartExtraction_CsvWithQuotedCommasQuotesAndLineBreaks_RowsEqualToEmbed()
    {
        var texts = Texts(70);
        texts[1] = "a text, with a comma";
        texts[2] = "a \"quoted\" word\nand a second line";
        var file = $"texts-{Guid.NewGuid():N}.csv";
        await File.WriteAllTextAsync(Path.Combine(server.ImportRoot, file),
            "id,label,text\r\n" + string.Concat(texts.Select((t, i) => $"row-{i},x,\"{t.Replace("\"", "\"\"")}\"\r\n")));

        var job = (await _workflow.RunAsync(new StartExtractionRequest { Backbone = "minilm", CsvFile = file, Normalize = true }))[^1];

        Assert.Equal(texts.Select((_, i) => $"row-{i}"), await _workflow.IdsAsync(job.Id));
        var (rows, _, values) = await _workflow.LoadNumpyAsync(job.Id, ExtractionFile.Embeddings);
        Assert.Equal(70, rows);
        ExtractionWorkflow.AssertClose(await _workflow.EmbedAsync("minilm", texts.Select(HeadWorkflow.Text), normalize: true), values);
    }

    /// <summary>Real emails, cut short so the text tests stay fast.</summary>
    private static string[] Texts(int count) =>
        SpamAssassin.Load(count, 0).First.Select(e => e.Text.Length > 400 ? e.Text[..400] : e.Text).ToArray();
}
