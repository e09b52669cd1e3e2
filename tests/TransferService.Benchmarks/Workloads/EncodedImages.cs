using SkiaSharp;

namespace TransferService.Benchmarks.Workloads;

/// <summary>Photo-sized images (640×480, ImageNet's typical size) encoded as a client would send them: smooth gradients,
/// shapes and some grain, so JPEG and PNG compress about as they do on photographs (seeded noise would make the PNG as
/// large as the raw pixels and the JPEG unusually hard to decode).</summary>
internal static class EncodedImages
{
    public const int Width = 640;
    public const int Height = 480;
    private const int Distinct = 8;

    public static IReadOnlyList<byte[]> Create(SKEncodedImageFormat format)
    {
        var random = new Random(640);
        return Enumerable.Range(0, Distinct).Select(_ => Encode(Draw(random), format)).ToArray();
    }

    private static SKBitmap Draw(Random random)
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        using var sky = new SKPaint();
        sky.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(Width, Height),
            [RandomColor(random), RandomColor(random)], SKShaderTileMode.Clamp);
        canvas.DrawRect(0, 0, Width, Height, sky);
        using var shape = new SKPaint { IsAntialias = true };
        for (var i = 0; i < 12; i++)
        {
            shape.Color = RandomColor(random);
            canvas.DrawCircle(random.Next(Width), random.Next(Height), random.Next(20, 160), shape);
        }
        canvas.Flush();
        var pixels = bitmap.GetPixelSpan();
        for (var p = 0; p < pixels.Length; p++)
            if (p % 4 != 3) pixels[p] = (byte)Math.Clamp(pixels[p] + random.Next(-6, 7), 0, 255);
        return bitmap;
    }

    private static SKColor RandomColor(Random random) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using (bitmap)
        using (var data = bitmap.Encode(format, 90))
            return data.ToArray();
    }
}
