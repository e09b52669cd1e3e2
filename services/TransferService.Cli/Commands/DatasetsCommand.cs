using System.CommandLine;
using Spectre.Console;
using TransferService.Client;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer datasets upload|list|delete</c>.</summary>
public static class DatasetsCommand
{
    public static Command Create(CliSession session) =>
        new("datasets", "Upload, list and delete labelled datasets") { Upload(session), List(session), Delete(session) };

    private static Command Upload(CliSession session)
    {
        var path = new Argument<string>("path") { Description = "An ImageFolder (one subfolder of images per label), or a .csv/.jsonl of text,label" };
        var name = new Option<string>("--name", "-n") { Description = "The dataset's name (default: the folder or file name)" };
        var command = new Command("upload", "Upload a folder of images or a CSV/JSONL of texts as a dataset") { path, name };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var source = parse.GetValue(path)!;
            var datasetName = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(source));
            var dataset = await session.Console.Status().StartAsync($"Uploading {source}", _ => Directory.Exists(source)
                ? client.UploadImageFolderAsync(datasetName, source, cancellationToken: cancellationToken)
                : client.UploadTextFileAsync(datasetName, source, cancellationToken: cancellationToken));
            session.Console.MarkupLineInterpolated($"dataset [bold]{dataset.Id}[/] '{dataset.Name}': {dataset.Count} examples, {dataset.LabelCounts.Count} labels");
            session.Console.Write(Table(dataset));
            return 0;
        });
        return command;
    }

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List the datasets of your tenant");
        session.SetAction(command, async (_, client, cancellationToken) =>
        {
            var reply = await client.Datasets.ListDatasetsAsync(new ListDatasetsRequest(), cancellationToken: cancellationToken);
            var table = new Table().AddColumns("id", "name", "examples", "labels", "created", "damaged");
            foreach (var d in reply.Datasets)
                table.AddRow(Markup.Escape(d.Id), Markup.Escape(d.Name), d.Count.ToString(), d.LabelCounts.Count.ToString(),
                    d.Created?.ToDateTime().ToString("u") ?? "", Markup.Escape(d.Damaged));
            session.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Delete(CliSession session)
    {
        var id = new Argument<string>("dataset") { Description = "The dataset's id" };
        var command = new Command("delete", "Delete a dataset (heads trained on it keep their weights and evaluation)") { id };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var datasetId = parse.GetValue(id)!;
            await client.Datasets.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetId = datasetId }, cancellationToken: cancellationToken);
            session.Console.MarkupLineInterpolated($"deleted dataset {datasetId}");
            return 0;
        });
        return command;
    }

    private static Table Table(Dataset dataset)
    {
        var table = new Table().AddColumns("label", "examples");
        foreach (var (label, count) in dataset.LabelCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(label), count.ToString());
        return table;
    }
}
