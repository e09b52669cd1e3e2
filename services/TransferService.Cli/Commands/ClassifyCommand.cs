using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TransferService.Cli.Inputs;
using TransferService.Cli.Output;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer classify</c>: files, folders or texts through one backbone pass and every head named; a
/// table of the top labels per input and head, with familiarity and whether the head abstains.</summary>
public static class ClassifyCommand
{
    public static Command Create(CliSession session)
    {
        var paths = InputFiles.PathsArgument();
        var backbone = new Option<string>("--backbone", "-b") { Description = "The backbone the heads were trained on", Required = true };
        var heads = new Option<string[]>("--head") { Description = "A head: name, name:3 or name@alias (repeatable)", Required = true };
        var texts = new Option<string[]>("--text") { Description = "A text to classify (repeatable)" };
        var top = new Option<uint>("--top") { Description = "Labels shown per prediction", DefaultValueFactory = _ => 3 };
        var command = new Command("classify", "Classify files, folders or texts with one or more heads") { paths, backbone, heads, texts, top };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var references = (parse.GetValue(heads) ?? []).Select(HeadReferences.Parse).ToList();
            var table = new Table().AddColumns("input", "head", "top labels", "familiarity", "abstain");
            var inputs = InputFiles.Read(parse.GetValue(paths) ?? [], parse.GetValue(texts) ?? []);
            var rows = 0;
            foreach (var items in InputBatches.Cut(inputs, 32))
            {
                var request = new ClassifyRequest { Backbone = parse.GetValue(backbone)!, TopK = parse.GetValue(top) };
                request.Heads.AddRange(references);
                request.Inputs.AddRange(items.Select(i => i.Input));
                var reply = await client.Heads.ClassifyAsync(request, cancellationToken: cancellationToken);
                for (var i = 0; i < items.Count; i++)
                    foreach (var head in reply.Heads)
                    {
                        var p = head.Predictions[i];
                        table.AddRow(Markup.Escape(items[i].Id), Markup.Escape($"{head.Name} v{head.Version}"),
                            Markup.Escape(string.Join(", ", p.Top.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Label} {Percent.Format(t.Probability)}")))),
                            p.HasFamiliarity ? p.Familiarity.ToString("F3", CultureInfo.InvariantCulture) : "",
                            p.Abstain ? "yes" : "no");
                    }
                rows += items.Count;
            }
            if (rows == 0) throw new InvalidDataException("nothing to classify: name image files, folders, .txt files or --text");
            session.Console.Write(table);
            return 0;
        });
        return command;
    }
}
