using System.CommandLine;
using Spectre.Console;
using TransferService.Cli.Inputs;
using TransferService.Cli.Output;
using TransferService.Client;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer extract start|download</c>: batch feature extraction as a durable job on the server, its files
/// (embeddings.npy, ids.txt; predictions.npy and columns.txt with heads) downloaded into a folder.</summary>
public static class ExtractCommand
{
    public static Command Create(CliSession session) =>
        new("extract", "Run a dataset or a server-side folder or file through a backbone (and heads) into .npy files")
        {
            Start(session), Download(session),
        };

    private static Command Start(CliSession session)
    {
        var backbone = new Option<string>("--backbone", "-b") { Description = "The backbone to embed with", Required = true };
        var dataset = new Option<string?>("--dataset", "-d") { Description = "An uploaded dataset's id (rows are numbered from 0)" };
        var folder = new Option<string?>("--folder") { Description = "A folder of images on the server, under its Extraction:ImportRoot" };
        var jsonl = new Option<string?>("--jsonl") { Description = "A JSONL file of texts on the server ({\"text\":…, \"id\":…} per line)" };
        var csv = new Option<string?>("--csv") { Description = "A CSV file of texts on the server (text and optional id columns)" };
        var heads = new Option<string[]>("--head") { Description = "A head to classify every row with (name, name:3 or name@alias); repeatable" };
        var normalize = new Option<bool>("--normalize") { Description = "L2-normalise every embedding" };
        var priority = new Option<JobPriority?>("--priority") { Description = "High, Normal or Low" };
        var output = OutputOption();
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job id and return at once (download later with extract download)" };
        var command = new Command("start", "Start an extraction job, follow it, and download its files when it succeeds")
            { backbone, dataset, folder, jsonl, csv, heads, normalize, priority, output, noWait };
        command.Validators.Add(result =>
        {
            var sources = new[] { dataset, folder, jsonl, csv }.Count(o => result.GetValue(o) is not null);
            if (sources != 1) result.AddError("give exactly one source: --dataset, --folder, --jsonl or --csv");
        });
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var request = new StartExtractionRequest
            {
                Backbone = parse.GetValue(backbone)!, Normalize = parse.GetValue(normalize), Priority = parse.GetValue(priority) ?? JobPriority.Unspecified,
            };
            if (parse.GetValue(dataset) is { } datasetId) request.DatasetId = datasetId;
            else if (parse.GetValue(folder) is { } folderPath) request.Folder = folderPath;
            else if (parse.GetValue(jsonl) is { } jsonlPath) request.JsonlFile = jsonlPath;
            else request.CsvFile = parse.GetValue(csv)!;
            request.Heads.AddRange((parse.GetValue(heads) ?? []).Select(HeadReferences.Parse));

            var job = (await client.Extraction.StartExtractionAsync(request, cancellationToken: cancellationToken)).Job;
            session.Console.MarkupLineInterpolated($"job [bold]{job.Id}[/] {JobText.State(job.State)}");
            if (parse.GetValue(noWait)) return 0;
            var last = await JobProgressBar.FollowAsync(session.Console, client, job.Id, cancellationToken);
            var exitCode = JobProgressBar.Report(session.Console, last);
            if (exitCode == 0) await DownloadAsync(session, client, job.Id, parse.GetValue(output), cancellationToken);
            return exitCode;
        });
        return command;
    }

    private static Command Download(CliSession session)
    {
        var id = new Argument<string>("job") { Description = "A succeeded extraction job's id" };
        var output = OutputOption();
        var command = new Command("download", "Download the files of a succeeded extraction job") { id, output };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            await DownloadAsync(session, client, parse.GetValue(id)!, parse.GetValue(output), cancellationToken);
            return 0;
        });
        return command;
    }

    private static Option<string?> OutputOption() =>
        new("--output", "-o") { Description = "The folder to download into (default: the job's id)" };

    private static async Task DownloadAsync(CliSession session, TransferClient client, string jobId, string? folder, CancellationToken cancellationToken)
    {
        var files = await client.DownloadExtractionAsync(jobId, folder ?? jobId, cancellationToken);
        foreach (var path in new[] { files.EmbeddingsPath, files.IdsPath, files.PredictionsPath, files.ColumnsPath }.OfType<string>())
            session.Console.MarkupLineInterpolated($"wrote {path}");
    }
}
