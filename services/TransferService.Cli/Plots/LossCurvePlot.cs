using SkiaSharp;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Plots;

/// <summary>Training and validation loss per epoch, with the kept (best) epoch marked.</summary>
public static class LossCurvePlot
{
    public static string Write(Evaluation evaluation, string path)
    {
        var epochs = evaluation.Epochs;
        var train = epochs.Select(e => ((double)e.Epoch, e.TrainLoss)).ToList();
        var validation = epochs.Select(e => ((double)e.Epoch, e.ValidationLoss)).ToList();
        var losses = train.Concat(validation).Select(p => p.Item2).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        using var plot = new PlotCanvas("Loss per epoch", 1, Math.Max(2, epochs.Count), 0, Math.Max(1e-3, losses.Max() * 1.05));
        plot.Axes("epoch", "loss");
        plot.Polyline(train, SKColors.SteelBlue);
        plot.Polyline(validation, SKColors.DarkOrange);
        if (evaluation.BestEpoch > 0)
        {
            using var best = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1.5f, PathEffect = SKPathEffect.CreateDash([6, 4], 0) };
            plot.Canvas.DrawLine(plot.X(evaluation.BestEpoch), plot.Area.Top, plot.X(evaluation.BestEpoch), plot.Area.Bottom, best);
        }
        plot.Legend(false, ("training loss", SKColors.SteelBlue), ("validation loss", SKColors.DarkOrange), ("kept epoch", SKColors.Gray));
        return plot.Save(path);
    }
}
