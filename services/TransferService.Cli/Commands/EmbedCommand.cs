using System.CommandLine;
using Spectre.Console;
using TransferService.Cli.Inputs;
using TransferService.Cli.Output;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer embed</c>: files, folders and texts through a backbone into a float32 <c>.npy</c>
/// [rows, dimension], with the row ids in a <c>.ids.txt</c> beside it.</summary>
public static class EmbedCommand
{
    public static Command Create(CliSession session)
    {
        var paths = InputFiles.PathsArgument();
        var backbone = new Option<string>("--backbone", "-b") { Description = "Backbone to embed with", Required = true };
        var texts = new Option<string[]>("--text") { Description = "A text to embed (repeatable)", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--output", "-o") { Description = "The .npy file to write", DefaultValueFactory = _ => "embeddings.npy" };
        var normalize = new Option<bool>("--normalize") { Description = "L2-normalise each embedding" };
        var batch = new Option<int>("--batch-size") { Description = "Inputs per request", DefaultValueFactory = _ => 32 };
        var command = new Command("embed", "Embed files, folders or texts and write them to a .npy file")
            { paths, backbone, texts, output, normalize, batch };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var outputPath = parse.GetValue(output)!;
            var idsPath = Path.ChangeExtension(outputPath, ".ids.txt");
            var inputs = InputFiles.Read(parse.GetValue(paths) ?? [], parse.GetValue(texts) ?? []);
            NpyWriter? npy = null;
            var rows = 0;
            uint dimension = 0;
            await using (var ids = new StreamWriter(idsPath))
            {
                try
                {
                    foreach (var items in InputBatches.Cut(inputs, Math.Max(1, parse.GetValue(batch))))
                    {
                        var request = new EmbedRequest { Backbone = parse.GetValue(backbone)!, Normalize = parse.GetValue(normalize) };
                        request.Inputs.AddRange(items.Select(i => i.Input));
                        var reply = await client.Embeddings.EmbedAsync(request, cancellationToken: cancellationToken);
                        dimension = reply.Dimension;
                        npy ??= new NpyWriter(outputPath, (int)reply.Dimension);
                        await npy.AppendAsync(reply.Embeddings, cancellationToken);
                        foreach (var item in items) await ids.WriteAsync(item.Id + "\n");
                        rows += items.Count;
                    }
                }
                finally
                {
                    if (npy is not null) await npy.DisposeAsync();
                }
            }
            if (rows == 0)
            {
                File.Delete(idsPath);
                throw new InvalidDataException("nothing to embed: name image files, folders, .txt files or --text");
            }
            session.Console.MarkupLineInterpolated($"{rows} embeddings of {dimension} floats → {outputPath} (ids: {idsPath})");
            return 0;
        });
        return command;
    }
}
