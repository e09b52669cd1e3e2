using System.Globalization;
using SkiaSharp;

namespace TransferService.Cli.Plots;

/// <summary>A white PNG canvas with a plot area, a title and labelled axes, mapping data coordinates to pixels.
/// Drawn with SkiaSharp alone (its Linux native assets need no system libraries) and text in
/// <see cref="PixelFont"/>, so plots render headless.
/// Owns the surface; <see cref="Save"/> writes the PNG.</summary>
public sealed class PlotCanvas : IDisposable
{
    public const int Width = 900, Height = 640;
    private const float Left = 80, Right = 30, Top = 60, Bottom = 80;
    /// <summary>Glyph height: twice the 7-pixel font.</summary>
    public const float FontSize = 14;
    private readonly SKSurface _surface;
    private readonly double _xMin, _xMax, _yMin, _yMax;

    public PlotCanvas(string title, double xMin, double xMax, double yMin, double yMax)
    {
        _surface = SKSurface.Create(new SKImageInfo(Width, Height));
        Canvas.Clear(SKColors.White);
        (_xMin, _xMax) = xMax > xMin ? (xMin, xMax) : (xMin - 1, xMin + 1);
        (_yMin, _yMax) = yMax > yMin ? (yMin, yMax) : (yMin - 1, yMin + 1);
        Text(title, Width / 2f, Top / 2f + 6, SKTextAlign.Center);
    }

    public SKCanvas Canvas => _surface.Canvas;
    public SKRect Area => new(Left, Top, Width - Right, Height - Bottom);

    public float X(double x) => Area.Left + (float)((x - _xMin) / (_xMax - _xMin)) * Area.Width;
    public float Y(double y) => Area.Bottom - (float)((y - _yMin) / (_yMax - _yMin)) * Area.Height;

    /// <summary>The frame, five ticks on each axis with their values, and the axis names.</summary>
    public void Axes(string xName, string yName, string tickFormat = "G3")
    {
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1 };
        using var frame = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke };
        for (var i = 0; i <= 5; i++)
        {
            double x = _xMin + (_xMax - _xMin) * i / 5, y = _yMin + (_yMax - _yMin) * i / 5;
            Canvas.DrawLine(X(x), Area.Top, X(x), Area.Bottom, grid);
            Canvas.DrawLine(Area.Left, Y(y), Area.Right, Y(y), grid);
            Text(x.ToString(tickFormat, CultureInfo.InvariantCulture), X(x), Area.Bottom + 20, SKTextAlign.Center);
            Text(y.ToString(tickFormat, CultureInfo.InvariantCulture), Area.Left - 8, Y(y) + 5, SKTextAlign.Right);
        }
        Canvas.DrawRect(Area, frame);
        Text(xName, Area.MidX, Height - 30, SKTextAlign.Center);
        Canvas.Save();
        Canvas.RotateDegrees(-90, 20, Area.MidY);
        Text(yName, 20, Area.MidY, SKTextAlign.Center);
        Canvas.Restore();
    }

    public void Polyline(IReadOnlyList<(double X, double Y)> points, SKColor color, bool dashed = false)
    {
        if (points.Count == 0) return;
        using var paint = new SKPaint { Color = color, StrokeWidth = 2.5f, StrokeCap = SKStrokeCap.Round, IsAntialias = true };
        if (dashed) paint.PathEffect = SKPathEffect.CreateDash([8, 6], 0);
        for (var i = 1; i < points.Count; i++)
            Canvas.DrawLine(X(points[i - 1].X), Y(points[i - 1].Y), X(points[i].X), Y(points[i].Y), paint);
    }

    /// <summary>Legend entries stacked in the plot area's top-right corner, or top-left where the data fill the right.</summary>
    public void Legend(bool topLeft, params (string Name, SKColor Color)[] entries)
    {
        var textLeft = topLeft ? Area.Left + 50 : Area.Right - 10 - entries.Max(e => PixelFont.Measure(e.Name, FontSize));
        for (var i = 0; i < entries.Length; i++)
        {
            var y = Area.Top + 24 + i * 22;
            using var paint = new SKPaint { Color = entries[i].Color, StrokeWidth = 4 };
            Canvas.DrawLine(textLeft - 40, y - 5, textLeft - 10, y - 5, paint);
            Text(entries[i].Name, textLeft, y, SKTextAlign.Left);
        }
    }

    public void Text(string text, float x, float y, SKTextAlign align, float size = FontSize, SKColor? color = null)
    {
        PixelFont.Draw(Canvas, text, x, y, align, size, color ?? SKColors.Black);
    }

    public string Save(string path)
    {
        using var image = _surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
        return path;
    }

    public void Dispose()
    {
        _surface.Dispose();
    }
}
