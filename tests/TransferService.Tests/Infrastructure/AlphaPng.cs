using SkiaSharp;

namespace TransferService.Tests.Infrastructure;

/// <summary>PNGs from RGBA bytes with SkiaSharp, their colours stored unpremultiplied as given.</summary>
public static class AlphaPng
{
    /// <param name="alpha">Unpremul keeps the alpha channel; Opaque writes an image without one.</param>
    public static byte[] Encode(byte[] rgba, int width, int height, SKAlphaType alpha = SKAlphaType.Unpremul)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha));
        rgba.CopyTo(bitmap.GetPixelSpan());
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
