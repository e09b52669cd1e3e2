using SkiaSharp;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Tests.Preprocessing;

/// <summary>Alpha is composited onto the manifest's background before resizing, for raw RGBA and for every
/// encoded format that carries alpha.</summary>
public sealed class ImagePreparerAlphaTests
{
    private const int Width = 6, Height = 5;

    [Fact]
    public void Prepare_SemiTransparentRgbaOnWhite_BlendsEachChannel()
    {
        var spec = new ImageSpec { Input = "x", Width = 1, Height = 1 };

        var prepared = Prepare(spec, new RawPixelsInput(new byte[] { 200, 100, 0, 128 }, 1, 1, 4));

        // a = 128/255: 200a + 255(1 − a) = 227.4, 100a + 255(1 − a) = 177.2, 0a + 255(1 − a) = 127.0.
        Assert.Equal(new float[] { 227, 177, 127 }, prepared);
    }

    [Fact]
    public void Prepare_SemiTransparentRgbaOnBlack_KeepsOnlyTheCoveredShare()
    {
        var spec = new ImageSpec { Input = "x", Width = 1, Height = 1, Background = [0, 0, 0] };

        var prepared = Prepare(spec, new RawPixelsInput(new byte[] { 200, 100, 0, 128 }, 1, 1, 4));

        Assert.Equal(new float[] { 100, 50, 0 }, prepared);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("rgba")]
    public void Prepare_TransparentImage_EqualsTheSameImageFlattenedOnTheBackground(string kind)
    {
        int[] background = [30, 140, 250];
        var spec = new ImageSpec { Input = "x", Width = 3, Height = 3, Background = background };
        var rgba = Rgba();
        EmbeddingInput input = kind == "rgba" ? new RawPixelsInput(rgba, Width, Height, 4) : new EncodedImageInput(Encode(rgba, kind));

        var prepared = Prepare(spec, input);
        var flattened = Prepare(spec, new RawPixelsInput(Flatten(rgba, background), Width, Height, 3));
        var ignoringAlpha = Prepare(spec, new RawPixelsInput(Flatten(rgba.Select((v, i) => i % 4 == 3 ? (byte)255 : v).ToArray(), background), Width, Height, 3));

        Assert.Equal(flattened, prepared);
        Assert.NotEqual(ignoringAlpha, prepared);
    }

    [Fact]
    public void Prepare_GifWithTransparentIndex_TransparentPixelIsTheBackground()
    {
        var spec = new ImageSpec { Input = "x", Width = 2, Height = 1 };

        var prepared = Prepare(spec, new EncodedImageInput(RedAndTransparentGreenGif));

        // Planes R, G, B of [opaque red, transparent (green underneath) → white].
        Assert.Equal(new float[] { 255, 255, 0, 255, 0, 255 }, prepared);
    }

    /// <summary>2×1 GIF89a: palette [red, green], a graphic control extension making index 1 transparent, and
    /// pixels [0, 1] as 3-bit LZW codes clear, 0, 1, end.</summary>
    private static readonly byte[] RedAndTransparentGreenGif =
    [
        .."GIF89a"u8, 2, 0, 1, 0, 0x80, 0, 0, 255, 0, 0, 0, 255, 0,
        0x21, 0xF9, 4, 1, 0, 0, 1, 0,
        0x2C, 0, 0, 0, 0, 2, 0, 1, 0, 0,
        2, 2, 0x44, 0x0A, 0,
        0x3B,
    ];

    private static float[] Prepare(ImageSpec spec, EmbeddingInput input) => ImagePlanes.ToPlanes(spec, (PreparedPixels)new ImagePreparer(spec).Prepare(input));

    /// <summary>A gradient of colours under alpha going from 0 (colour hidden) to 255 across the image.</summary>
    private static byte[] Rgba()
    {
        var rgba = new byte[Width * Height * 4];
        for (var i = 0; i < Width * Height; i++)
        {
            rgba[i * 4] = (byte)(i * 37);
            rgba[i * 4 + 1] = (byte)(255 - i * 11);
            rgba[i * 4 + 2] = (byte)(i * 91);
            rgba[i * 4 + 3] = (byte)(i * 255 / (Width * Height - 1));
        }
        return rgba;
    }

    private static byte[] Flatten(byte[] rgba, int[] background)
    {
        var rgb = new byte[rgba.Length / 4 * 3];
        for (var i = 0; i < rgba.Length / 4; i++)
        {
            var a = rgba[i * 4 + 3] / 255.0;
            for (var c = 0; c < 3; c++) rgb[i * 3 + c] = (byte)Math.Round(a * rgba[i * 4 + c] + (1 - a) * background[c]);
        }
        return rgb;
    }

    private static byte[] Encode(byte[] rgba, string format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        rgba.CopyTo(bitmap.GetPixelSpan());
        using var pixmap = bitmap.PeekPixels();
        using var data = format == "webp"
            ? pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
            : pixmap.Encode(SKEncodedImageFormat.Png, 100);
        return data!.ToArray();
    }
}
