using System.Globalization;
using SkiaSharp;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Plots;

/// <summary>The confusion matrix as a heat map: row i, column j holds the validation examples of label i predicted
/// as label j, shaded by the row's share (so rare labels read as clearly as common ones), with the count written
/// in each cell.</summary>
public static class ConfusionMatrixPlot
{
    public static string Write(Evaluation evaluation, IReadOnlyList<string> labels, string path)
    {
        var n = labels.Count;
        using var plot = new PlotCanvas("Confusion matrix (rows: true, columns: predicted)", 0, Math.Max(1, n), 0, Math.Max(1, n));
        if (n == 0 || evaluation.Confusion.Count != n * n) return plot.Save(path);
        var cell = Math.Min(plot.Area.Width, plot.Area.Height) / n;
        var origin = new SKPoint(plot.Area.Left + 60, plot.Area.Top);
        cell = Math.Min(cell, (plot.Area.Width - 60) / n);
        var fontSize = Math.Clamp(cell / 3, 8, 15);
        for (var i = 0; i < n; i++)
        {
            var total = Math.Max(1, Enumerable.Range(0, n).Sum(j => (double)evaluation.Confusion[i * n + j]));
            for (var j = 0; j < n; j++)
            {
                var count = evaluation.Confusion[i * n + j];
                var share = count / total;
                using var fill = new SKPaint { Color = Shade(share) };
                var rect = SKRect.Create(origin.X + j * cell, origin.Y + i * cell, cell, cell);
                plot.Canvas.DrawRect(rect, fill);
                plot.Text(count.ToString(CultureInfo.InvariantCulture), rect.MidX, rect.MidY + fontSize / 3, SKTextAlign.Center, fontSize,
                    share > 0.5 ? SKColors.White : SKColors.Black);
            }
            plot.Text(Shorten(labels[i]), origin.X - 6, origin.Y + i * cell + cell / 2 + fontSize / 3, SKTextAlign.Right, fontSize);
            plot.Text(Shorten(labels[i]), origin.X + i * cell + cell / 2, origin.Y + n * cell + fontSize + 4, SKTextAlign.Center, fontSize);
        }
        return plot.Save(path);
    }

    /// <summary>White for 0, deep blue for the whole row.</summary>
    private static SKColor Shade(double share)
    {
        var t = Math.Clamp(share, 0, 1);
        return new SKColor((byte)(255 - 225 * t), (byte)(255 - 175 * t), (byte)(255 - 95 * t));
    }

    private static string Shorten(string label) => label.Length <= 12 ? label : label[..11] + "~";
}
