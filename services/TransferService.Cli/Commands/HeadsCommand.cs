using System.CommandLine;
using Spectre.Console;
using TransferService.Cli.Inputs;
using TransferService.Cli.Output;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer heads train|show|export|list|alias|delete</c>.</summary>
public static class HeadsCommand
{
    public static Command Create(CliSession session) =>
        new("heads", "Train, inspect, export, alias and delete classifier heads")
        {
            HeadTrainCommand.Create(session), HeadShowCommand.Create(session), Export(session), List(session), Alias(session), Delete(session),
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

    private static Command Alias(CliSession session)
    {
        var head = HeadArgument();
        var alias = new Argument<string>("alias") { Description = "The alias to point at that version, e.g. prod" };
        var command = new Command("alias", "Point an alias at a version (heads alias pets:3 prod; pets alone: the latest); switched atomically") { head, alias };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            // The service takes a version number: a name alone or another alias is read as the version it means now.
            var reference = HeadReferences.Parse(parse.GetValue(head)!);
            var version = reference.Version > 0 ? reference.Version
                : (await client.Heads.GetHeadAsync(new GetHeadRequest { Head = reference }, cancellationToken: cancellationToken)).Head.Version;
            var name = parse.GetValue(alias)!;
            await client.Heads.SetHeadAliasAsync(new SetHeadAliasRequest { Name = reference.Name, Alias = name, Version = version },
                cancellationToken: cancellationToken);
            session.Console.MarkupLineInterpolated($"{reference.Name}@{name} → v{version}");
            return 0;
        });
        return command;
    }

    private static Command Delete(CliSession session)
    {
        var head = HeadArgument();
        var command = new Command("delete", "Delete one version (pets:3, pets@old) or, with the name alone, every version of a head") { head };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var reference = HeadReferences.Parse(parse.GetValue(head)!);
            await client.Heads.DeleteHeadAsync(new DeleteHeadRequest { Head = reference }, cancellationToken: cancellationToken);
            session.Console.MarkupLineInterpolated($"deleted {(reference.Version > 0 || reference.Alias.Length > 0 ? HeadReferences.Format(reference) : $"every version of {reference.Name}")}");
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
