using SkiaSharp;

namespace TransferService.Onnx.Preprocessing;

/// <summary>Flattens an unpremultiplied RGBA bitmap onto an opaque background, in place, so a transparent image is
/// embedded as it looks and not with the colour its transparent pixels happen to store (often black).</summary>
internal static class AlphaCompositor
{
    /// <summary>out = a·c + (1 − a)·bg per channel, a = alpha/255, rounded to the nearest integer: the exact
    /// value never lies halfway (255 is odd), so this equals any correct flattening to 8 bits.</summary>
    public static void Flatten(SKBitmap bitmap, ReadOnlySpan<int> background)
    {
        var rgba = bitmap.GetPixelSpan();
        for (var p = 0; p < rgba.Length; p += 4)
        {
            int alpha = rgba[p + 3];
            if (alpha == 255) continue;
            for (var c = 0; c < 3; c++)
                rgba[p + c] = (byte)((alpha * rgba[p + c] + (255 - alpha) * background[c] + 127) / 255);
            rgba[p + 3] = 255;
        }
    }
}
