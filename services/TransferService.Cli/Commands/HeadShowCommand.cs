using System.CommandLine;
using Spectre.Console;
using TransferService.Cli.Inputs;
using TransferService.Cli.Output;
using TransferService.Cli.Plots;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer heads show</c>: a head version's evaluation as tables, and as three PNG plots (loss curves,
/// confusion matrix, reliability diagram) in a folder.</summary>
public static class HeadShowCommand
{
    public static Command Create(CliSession session)
    {
        var head = HeadsCommand.HeadArgument();
        var plots = new Option<string?>("--plots") { Description = "Folder for the PNG plots (default: <name>-v<version>)" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Tables only" };
        var command = new Command("show", "Show a head's evaluation: tables, and PNG plots of loss, confusion and calibration") { head, plots, noPlots };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var reference = HeadReferences.Parse(parse.GetValue(head)!);
            var shown = (await client.Heads.GetHeadAsync(new GetHeadRequest { Head = reference }, cancellationToken: cancellationToken)).Head;
            EvaluationTables.Write(session.Console, shown);
            if (parse.GetValue(noPlots) || shown.Evaluation is null) return 0;
            var folder = parse.GetValue(plots) ?? $"{shown.Name}-v{shown.Version}";
            Directory.CreateDirectory(folder);
            var files = new[]
            {
                LossCurvePlot.Write(shown.Evaluation, Path.Combine(folder, "loss.png")),
                ConfusionMatrixPlot.Write(shown.Evaluation, shown.Labels, Path.Combine(folder, "confusion.png")),
                ReliabilityPlot.Write(shown.Evaluation, Path.Combine(folder, "reliability.png")),
            };
            session.Console.MarkupLineInterpolated($"plots: {string.Join(", ", files)}");
            return 0;
        });
        return command;
    }
}
