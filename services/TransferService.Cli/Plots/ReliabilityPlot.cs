using SkiaSharp;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Plots;

/// <summary>The reliability diagram: for each confidence bin, the accuracy of the predictions in it (bars) against
/// the diagonal a perfectly calibrated head would follow; the gap is what the expected calibration error sums.</summary>
public static class ReliabilityPlot
{
    public static string Write(Evaluation evaluation, string path)
    {
        using var plot = new PlotCanvas(FormattableString.Invariant(
            $"Reliability: ECE {evaluation.CalibratedExpectedCalibrationError:F3} ({evaluation.ExpectedCalibrationError:F3} uncalibrated)"), 0, 1, 0, 1);
        plot.Axes("confidence", "accuracy", "F1");
        using var bar = new SKPaint { Color = SKColors.SteelBlue.WithAlpha(200) };
        using var confidence = new SKPaint { Color = SKColors.DarkOrange, IsAntialias = true };
        foreach (var bin in evaluation.Reliability.Where(b => b.Count > 0))
        {
            plot.Canvas.DrawRect(new SKRect(plot.X(bin.Lower) + 1, plot.Y(bin.Accuracy), plot.X(bin.Upper) - 1, plot.Y(0)), bar);
            plot.Canvas.DrawCircle(plot.X(bin.MeanConfidence), plot.Y(bin.MeanConfidence), 4, confidence);
        }
        plot.Polyline([(0, 0), (1, 1)], SKColors.Gray, dashed: true);
        plot.Legend(true, ("accuracy in bin", SKColors.SteelBlue), ("mean confidence", SKColors.DarkOrange), ("perfect calibration", SKColors.Gray));
        return plot.Save(path);
    }
}
