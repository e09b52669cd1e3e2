using System.Text.Json;
using System.Text.RegularExpressions;
using SkiaSharp;
using TransferService.Client;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Client;

/// <summary>The <c>transfer</c> command end to end against the real server: Fashion-MNIST images written as an
/// ImageFolder of PNGs, uploaded, trained on, shown, used to classify held-out images, exported; then the job list.</summary>
[Collection(ServerCollection.Name)]
public sealed class CliWorkflowTests(ServerFixture server) : IDisposable
{
    private static readonly (int Class, string Label)[] Classes = [(1, "trouser"), (7, "sneaker"), (8, "bag")];
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cli-");

    [Fact]
    public async Task UploadTrainShowClassifyExport_FashionMnistFolder_WorksEndToEnd()
    {
        var training = WriteImageFolder("train", train: true, perClass: 12);
        var held = WriteImageFolder("held", train: false, perClass: 2);

        var upload = (await CliRun.RunAsync(server.App, "datasets", "upload", training, "--name", "cli-fashion")).Succeeded();
        var datasetId = Regex.Match(upload.Output, @"dataset (\S+) 'cli-fashion': 36 examples, 3 labels").Groups[1].Value;
        Assert.NotEmpty(datasetId);

        var train = (await CliRun.RunAsync(server.App, "heads", "train", "--name", "cli-fashion", "--backbone", "resnet18",
            "--dataset", datasetId, "--epochs", "40", "--learning-rate", "0.01", "--seed", "3")).Succeeded();
        Assert.True(Regex.IsMatch(train.Output, @"SUCCEEDED \w+, epoch 40, loss [\d.eE+-]+, validation accuracy \d+\.\d% cli-fashion v1"), train.Output);
        var jobId = Regex.Match(train.Output, @"job (\S+) QUEUED|job (\S+) RUNNING").Groups.Values.Skip(1).First(g => g.Success).Value;

        var plots = Path.Combine(_folder.FullName, "plots");
        var show = (await CliRun.RunAsync(server.App, "heads", "show", "cli-fashion", "--plots", plots)).Succeeded();
        Assert.Contains("cli-fashion v1", show.Output);
        Assert.Matches(@"accuracy\s*│\s*\d+\.\d%", show.Output);
        Assert.Contains("confusion (rows: true, columns: predicted):", show.Output);
        Assert.Matches(@"│ trouser\s*│\s*\d+\s*│\s*\d+\s*│\s*\d+\s*│", show.Output);
        foreach (var plot in new[] { "loss.png", "confusion.png", "reliability.png" })
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(plots, plot));
            Assert.True(bitmap is { Width: 900, Height: 640 }, $"{plot} is not a 900×640 PNG");
            Assert.True(bitmap.Pixels.Count(p => p != SKColors.White) > bitmap.Pixels.Length / 100, $"{plot} is blank");
        }

        var classified = (await CliRun.RunAsync(server.App,
            ["classify", "--backbone", "resnet18", "--head", "cli-fashion:1", held + "/trouser", held + "/sneaker", held + "/bag"])).Succeeded();
        var rows = Regex.Matches(classified.Output, @"/(\w+)/\d+\.png\s*│\s*cli-fashion v1\s*│\s*(\w+) \d");
        Assert.Equal(6, rows.Count);
        Assert.True(rows.Count(r => r.Groups[1].Value == r.Groups[2].Value) >= 5, classified.Output);

        var model = Path.Combine(_folder.FullName, "export", "fashion.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        (await CliRun.RunAsync(server.App, "heads", "export", "cli-fashion", "--output", model)).Succeeded();
        using var client = new TransferClient(server.Channel);
        var head = (await client.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "cli-fashion" } })).Head;
        Assert.Equal(head.Labels, JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.ChangeExtension(model, ".labels.json"))));
        using var preprocessing = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(model, ".preprocessing.json")));
        Assert.Equal(224, preprocessing.RootElement.GetProperty("width").GetInt32());
        Assert.True(new FileInfo(model).Length > 1_000_000, "the export holds the backbone");

        var jobs = (await CliRun.RunAsync(server.App, "jobs", "list", "--kind", "train_head")).Succeeded();
        Assert.Matches($@"{Regex.Escape(jobId)}\s*│\s*train_head\s*│\s*SUCCEEDED", jobs.Output);
        Assert.Contains($"{jobId} SUCCEEDED", (await CliRun.RunAsync(server.App, "jobs", "watch", jobId)).Succeeded().Output);
        var cancel = await CliRun.RunAsync(server.App, "jobs", "cancel", jobId);
        Assert.Equal(1, cancel.ExitCode);                  // a finished job cannot be cancelled
        Assert.StartsWith("error: FAILED_PRECONDITION", cancel.Error);
    }

    private string WriteImageFolder(string name, bool train, int perClass)
    {
        var (images, labels) = FashionMnist.Load(train, 600);
        foreach (var (cls, label) in Classes)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_folder.FullName, name, label)).FullName;
            var chosen = Enumerable.Range(0, labels.Length).Where(i => labels[i] == cls).Take(perClass).ToList();
            Assert.Equal(perClass, chosen.Count);
            for (var i = 0; i < chosen.Count; i++)
                File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), TestImages.EncodePng(TestImages.ToRgb224(images[chosen[i]])));
        }
        return Path.Combine(_folder.FullName, name);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
