using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SkiaSharp;
using TransferService.Core.Errors;

namespace TransferService.Onnx.Preprocessing;

/// <summary>Decodes encoded images and raw pixels into unpremultiplied RGBA bitmaps (alpha kept, for
/// <see cref="AlphaCompositor"/>), refusing oversized images from the header before any pixel is decoded. The
/// caller owns and disposes the returned bitmap.</summary>
internal static class ImageDecoder
{
    public static SKBitmap Decode(ReadOnlyMemory<byte> data, long maxPixels)
    {
        if (data.IsEmpty) throw TransferException.Invalid("image", "image is empty");
        using var skData = SKData.CreateCopy(data.Span);
        using var stream = new SKMemoryStream(skData);
        using var codec = SKCodec.Create(stream, out var result);
        if (codec is null)
            throw TransferException.Invalid("image", result == SKCodecResult.IncompleteInput
                ? "image is truncated: its header is incomplete"
                : "image is not in a supported format (JPEG, PNG, WebP, GIF, BMP) or is corrupt");
        CheckPixelBudget(codec.Info.Width, codec.Info.Height, maxPixels, "image");

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded == SKCodecResult.Success) return bitmap;
        bitmap.Dispose();
        throw TransferException.Invalid("image", decoded == SKCodecResult.IncompleteInput
            ? "image is truncated: the file ends before all pixels are decoded"
            : $"image could not be decoded ({decoded})");
    }

    public static SKBitmap FromPixels(ReadOnlySpan<byte> data, int width, int height, int channels, long maxPixels)
    {
        CheckPixels(data.Length, width, height, channels, maxPixels);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        ToRgba(data, channels, bitmap.GetPixelSpan());
        return bitmap;
    }

    /// <summary>Gray, RGB or RGBA bytes (already checked) → RGBA, opaque where the input has no alpha.</summary>
    public static void ToRgba(ReadOnlySpan<byte> data, int channels, Span<byte> rgba)
    {
        int p = 0, s = 0;
        if (channels is 1 or 3 && Vector128.IsHardwareAccelerated)
        {
            // Spread to RGBA with a zero in each alpha byte (index 0xFF is out of range), which the mask then sets.
            var opaque = Vector128.Create(0xFF000000u).AsByte();
            ref var source = ref MemoryMarshal.GetReference(data);
            ref var target = ref MemoryMarshal.GetReference(rgba);
            if (channels == 3)
            {
                // RGB, the common case, four pixels a step (16 bytes read, 12 used): about a quarter of the scalar loop's
                // time per image (perf, 16 callers).
                var spread = Vector128.Create((byte)0, 1, 2, 0xFF, 3, 4, 5, 0xFF, 6, 7, 8, 0xFF, 9, 10, 11, 0xFF);
                for (; s + Vector128<byte>.Count <= data.Length && p + Vector128<byte>.Count <= rgba.Length; s += 12, p += 16)
                    (Vector128.Shuffle(Vector128.LoadUnsafe(ref source, (nuint)s), spread) | opaque).StoreUnsafe(ref target, (nuint)p);
            }
            else
            {
                // Gray, sixteen pixels a step: each value copied to red, green and blue of its pixel, four pixels a store.
                for (; s + Vector128<byte>.Count <= data.Length && p + 4 * Vector128<byte>.Count <= rgba.Length; s += 16, p += 64)
                {
                    var gray = Vector128.LoadUnsafe(ref source, (nuint)s);
                    (Vector128.Shuffle(gray, Vector128.Create((byte)0, 0, 0, 0xFF, 1, 1, 1, 0xFF, 2, 2, 2, 0xFF, 3, 3, 3, 0xFF)) | opaque).StoreUnsafe(ref target, (nuint)p);
                    (Vector128.Shuffle(gray, Vector128.Create((byte)4, 4, 4, 0xFF, 5, 5, 5, 0xFF, 6, 6, 6, 0xFF, 7, 7, 7, 0xFF)) | opaque).StoreUnsafe(ref target, (nuint)p + 16);
                    (Vector128.Shuffle(gray, Vector128.Create((byte)8, 8, 8, 0xFF, 9, 9, 9, 0xFF, 10, 10, 10, 0xFF, 11, 11, 11, 0xFF)) | opaque).StoreUnsafe(ref target, (nuint)p + 32);
                    (Vector128.Shuffle(gray, Vector128.Create((byte)12, 12, 12, 0xFF, 13, 13, 13, 0xFF, 14, 14, 14, 0xFF, 15, 15, 15, 0xFF)) | opaque).StoreUnsafe(ref target, (nuint)p + 48);
                }
            }
        }
        for (; p < rgba.Length; p += 4, s += channels)
        {
            rgba[p] = data[s];
            rgba[p + 1] = data[channels == 1 ? s : s + 1];
            rgba[p + 2] = data[channels == 1 ? s : s + 2];
            rgba[p + 3] = channels == 4 ? data[s + 3] : (byte)255;
        }
    }

    /// <summary>The checks of <see cref="FromPixels"/> without building the bitmap: dimensions, channels, the
    /// pixel budget, and a byte count that matches them.</summary>
    public static void CheckPixels(int length, int width, int height, int channels, long maxPixels)
    {
        if (width <= 0) throw TransferException.Invalid("pixels.width", "pixels.width must be positive");
        if (height <= 0) throw TransferException.Invalid("pixels.height", "pixels.height must be positive");
        if (channels is not (1 or 3 or 4)) throw TransferException.Invalid("pixels.channels", "pixels.channels must be 1, 3 or 4");
        CheckPixelBudget(width, height, maxPixels, "pixels");
        var expected = (long)width * height * channels;
        if (length != expected)
            throw TransferException.Invalid("pixels.data", $"pixels.data holds {length} bytes; {width}x{height}x{channels} needs {expected}");
    }

    private static void CheckPixelBudget(long width, long height, long maxPixels, string field)
    {
        if (width * height > maxPixels)
            throw TransferException.Invalid(field,
                $"{field} is {width}x{height} = {width * height} pixels, over the limit of {maxPixels}");
    }
}
