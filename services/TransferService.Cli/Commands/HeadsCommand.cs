using System.CommandLine;
using Spectre.Console;
using TransferService.Cli.Inputs;
using TransferService.Cli.Output;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer heads train|show|export|list</c>.</summary>
public static class HeadsCommand
{
    public static Command Create(CliSession session) =>
        new("heads", "Train, inspect and export classifier heads")
        {
            HeadTrainCommand.Create(session), HeadShowCommand.Create(session), Export(session), List(session),
        };

    internal static Argument<string> HeadArgument() =>
        new("head") { Description = "name (latest version), name:3 (version 3) or name@alias" };

    private static Command Export(CliSession session)
    {
        var head = HeadArgument();
        var output = new Option<string?>("--output", "-o") { Description = "The .onnx file to write (default: <name>.onnx)" };
        var command = new Command("export", "Download a head as one ONNX file, with its labels and preprocessing as JSON beside it") { head, output };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var reference = HeadReferences.Parse(parse.GetValue(head)!);
            var path = parse.GetValue(output) ?? $"{reference.Name}.onnx";
            var export = await client.DownloadExportAsync(reference, path, cancellationToken);
            session.Console.MarkupLineInterpolated($"{export.ModelPath}: inputs {string.Join(", ", export.InputNames)} → {export.OutputName} [[N, {export.Labels.Count}]]");
            session.Console.MarkupLineInterpolated($"labels: {export.LabelsPath}, preprocessing: {export.PreprocessingPath}");
            return 0;
        });
        return command;
    }

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List the heads of your tenant");
        session.SetAction(command, async (_, client, cancellationToken) =>
        {
            var reply = await client.Heads.ListHeadsAsync(new ListHeadsRequest(), cancellationToken: cancellationToken);
            var table = new Table().AddColumns("name", "versions", "aliases", "damaged");
            foreach (var h in reply.Heads)
                table.AddRow(Markup.Escape(h.Name), string.Join(", ", h.Versions),
                    Markup.Escape(string.Join(", ", h.Aliases.Select(a => $"{a.Key}→{a.Value}"))), Markup.Escape(h.Damaged));
            session.Console.Write(table);
            return 0;
        });
        return command;
    }
}
