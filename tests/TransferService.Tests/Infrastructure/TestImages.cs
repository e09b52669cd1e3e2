using Google.Protobuf;
using SkiaSharp;
using TransferService.Contracts.V1;

namespace TransferService.Tests.Infrastructure;

/// <summary>Real images for the image backbones: Fashion-MNIST items scaled up to 224×224 RGB.</summary>
public static class TestImages
{
    /// <summary>28×28 gray → 224×224 RGB HWC by repeating each pixel 8×8 (no interpolation to reproduce).</summary>
    public static byte[] ToRgb224(byte[] gray28)
    {
        var rgb = new byte[224 * 224 * 3];
        for (var y = 0; y < 224; y++)
            for (var x = 0; x < 224; x++)
            {
                var v = gray28[(y / 8) * 28 + x / 8];
                var p = (y * 224 + x) * 3;
                rgb[p] = rgb[p + 1] = rgb[p + 2] = v;
            }
        return rgb;
    }

    public static Input Pixels(byte[] rgb224) =>
        new() { Pixels = new RawPixels { Data = ByteString.CopyFrom(rgb224), Width = 224, Height = 224, Channels = 3 } };

    public static Input Gray28(byte[] gray28) =>
        new() { Pixels = new RawPixels { Data = ByteString.CopyFrom(gray28), Width = 28, Height = 28, Channels = 1 } };

    public static byte[] EncodePng(byte[] rgb224)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(224, 224, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = bitmap.GetPixelSpan();
        for (int i = 0, s = 0; i < pixels.Length; i += 4, s += 3)
        {
            pixels[i] = rgb224[s];
            pixels[i + 1] = rgb224[s + 1];
            pixels[i + 2] = rgb224[s + 2];
            pixels[i + 3] = 255;
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static byte[] EncodeJpeg(byte[] rgb224)
    {
        using var bitmap = SKBitmap.Decode(EncodePng(rgb224));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
