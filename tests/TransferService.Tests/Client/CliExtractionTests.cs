using System.Text.RegularExpressions;
using TransferService.Client;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Client;

/// <summary><c>transfer extract</c> against the real server: an uploaded dataset of fortune cookies through minilm and a
/// head trained on it, the files downloaded into a folder and read by numpy; bad calls print the status code and field.</summary>
[Collection(ServerCollection.Name)]
public sealed class CliExtractionTests(ServerFixture server) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cli-extract-");

    [Fact]
    public async Task ExtractStart_DatasetWithHead_DownloadsEmbeddingsIdsAndPredictionsThatMatchTheServer()
    {
        var rows = FortuneCategories.Load(seed: 5).Train.Where(t => t.Label is "computers" or "food").GroupBy(t => t.Label)
            .SelectMany(g => g.Take(10)).ToArray();
        var datasetId = await CliRun.UploadTextsAsync(server.App, _folder.FullName, "cli-extract", rows);
        (await CliRun.RunAsync(server.App, "heads", "train", "--name", "cli-extract", "--backbone", "minilm", "--dataset", datasetId,
            "--epochs", "20", "--learning-rate", "0.01")).Succeeded();
        var output = Path.Combine(_folder.FullName, "out");

        var run = (await CliRun.RunAsync(server.App, "extract", "start", "--backbone", "minilm", "--dataset", datasetId,
            "--head", "cli-extract", "--normalize", "--output", output)).Succeeded();

        Assert.Matches(@"SUCCEEDED done, 20/20 items 20 rows × 384 \(minilm\), 2 prediction columns", run.Output);
        var (count, dimension, embeddings) = await Numpy.LoadAsync(Path.Combine(output, "embeddings.npy"));
        Assert.Equal((20, 384), (count, dimension));
        using var client = new TransferClient(server.Channel);
        var request = new EmbedRequest { Backbone = "minilm", Normalize = true };
        request.Inputs.AddRange(rows.Select(r => new Input { Text = r.Text }));
        var expected = (await client.Embeddings.EmbedAsync(request)).Embeddings;
        Assert.True(embeddings.Zip(expected).All(p => Math.Abs(p.First - p.Second) < 1e-5f), "embeddings.npy differs from Embed's answer");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i.ToString()), File.ReadAllLines(Path.Combine(output, "ids.txt")));
        Assert.Equal(["cli-extract v1:computers", "cli-extract v1:food"], File.ReadAllLines(Path.Combine(output, "columns.txt")));
        var (predicted, columns, probabilities) = await Numpy.LoadAsync(Path.Combine(output, "predictions.npy"));
        Assert.Equal((20, 2), (predicted, columns));
        Assert.All(probabilities.Chunk(2), p => Assert.InRange(p[0] + p[1], 0.999f, 1.001f));
        Assert.Empty(Directory.GetFiles(output, "*.partial"));

        // The same job's files again, by id, into another folder: byte for byte what the first download wrote.
        var jobId = Regex.Match(run.Output, @"job (\S+) QUEUED|job (\S+) RUNNING").Groups.Values.Skip(1).First(g => g.Success).Value;
        var again = Path.Combine(_folder.FullName, "again");
        var download = (await CliRun.RunAsync(server.App, "extract", "download", jobId, "-o", again)).Succeeded();
        Assert.Equal(4, Regex.Matches(download.Output, "wrote ").Count);
        foreach (var name in new[] { "embeddings.npy", "ids.txt", "predictions.npy", "columns.txt" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(output, name)), File.ReadAllBytes(Path.Combine(again, name)));
    }

    [Fact]
    public async Task ExtractStart_DatasetWithoutHeads_WritesNoPredictions()
    {
        var datasetId = await CliRun.UploadTextsAsync(server.App, _folder.FullName, "cli-extract-plain",
            [("The kettle is boiling", "kitchen"), ("The goalkeeper saved a penalty", "sports")]);
        var output = Path.Combine(_folder.FullName, "plain");

        var run = (await CliRun.RunAsync(server.App, "extract", "start", "-b", "minilm", "-d", datasetId, "-o", output)).Succeeded();

        Assert.Contains("2 rows × 384 (minilm)", run.Output);
        Assert.Equal(["embeddings.npy", "ids.txt"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ExtractStart_NoSourceOrTwo_ExitsOneSayingWhichOptions()
    {
        foreach (var args in new[] { new[] { "extract", "start", "-b", "minilm" }, ["extract", "start", "-b", "minilm", "-d", "x", "--csv", "y.csv"] })
        {
            var run = await CliRun.RunAsync(server.App, args);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("give exactly one source: --dataset, --folder, --jsonl or --csv", run.Output + run.Error);
        }
    }

    [Fact]
    public async Task ExtractDownload_UnknownJob_PrintsNotFoundWithTheFieldAndWritesNothing()
    {
        var output = Path.Combine(_folder.FullName, "none");

        var run = await CliRun.RunAsync(server.App, "extract", "download", "job-does-not-exist", "-o", output);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: NOT_FOUND (job_id):", run.Error);
        Assert.Empty(Directory.Exists(output) ? Directory.GetFiles(output) : []);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
