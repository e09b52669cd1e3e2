using Google.Protobuf;
using SkiaSharp;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Embeddings;

/// <summary>A transparent image is embedded as it looks: its alpha composited onto the backbone's background
/// (white for resnet18), not with the colour stored under its transparent pixels.</summary>
[Collection(ServerCollection.Name)]
public sealed class AlphaCompositingTests(ServerFixture server)
{
    private const int Size = 160;
    private readonly EmbeddingService.EmbeddingServiceClient _embeddings = new(server.Channel);

    [Fact]
    public async Task Embed_TransparentPngAndRgbaPixels_EqualTheImageFlattenedOnWhite()
    {
        var rgba = FashionMnist.Load(train: false, count: 3).Images.Select(Transparent).ToArray();
        var flattened = rgba.Select(r => FlattenOnWhite(r, alpha: a => a)).ToArray();
        var colourUnderAlpha = rgba.Select(r => FlattenOnWhite(r, alpha: _ => 255)).ToArray();

        var transparentPng = await EmbedAsync(rgba.Select(r => Image(AlphaPng.Encode(r, Size, Size))));
        var rgbaPixels = await EmbedAsync(rgba.Select(RgbaPixels));
        var flattenedPng = await EmbedAsync(flattened.Select(r => Image(AlphaPng.Encode(r, Size, Size, SKAlphaType.Opaque))));
        var ignoringAlpha = await EmbedAsync(colourUnderAlpha.Select(r => Image(AlphaPng.Encode(r, Size, Size, SKAlphaType.Opaque))));

        Assert.True(MaxAbsDifference(flattenedPng, transparentPng) < 1e-5, $"png: {MaxAbsDifference(flattenedPng, transparentPng)}");
        Assert.True(MaxAbsDifference(flattenedPng, rgbaPixels) < 1e-5, $"pixels: {MaxAbsDifference(flattenedPng, rgbaPixels)}");
        Assert.True(MaxAbsDifference(flattenedPng, ignoringAlpha) > 0.1, "the colour under the alpha should change the embedding");
    }

    /// <summary>A Fashion-MNIST item as a see-through garment: alpha is the item's ink (its background fully
    /// transparent, its edges partly), and the colour underneath a saturated gradient that white would hide.</summary>
    private static byte[] Transparent(byte[] gray28)
    {
        var rgba = new byte[Size * Size * 4];
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                var p = (y * Size + x) * 4;
                rgba[p] = (byte)(x * 255 / Size);
                rgba[p + 1] = (byte)(y * 255 / Size);
                rgba[p + 2] = 40;
                rgba[p + 3] = gray28[y * 28 / Size * 28 + x * 28 / Size];
            }
        return rgba;
    }

    /// <summary>RGBA with the stored alpha replaced by <paramref name="alpha"/>, flattened on white as 0–255 RGBA
    /// with opaque alpha: round(a·c + (1 − a)·255).</summary>
    private static byte[] FlattenOnWhite(byte[] rgba, Func<byte, byte> alpha)
    {
        var flat = new byte[rgba.Length];
        for (var p = 0; p < rgba.Length; p += 4)
        {
            var a = alpha(rgba[p + 3]) / 255.0;
            for (var c = 0; c < 3; c++) flat[p + c] = (byte)Math.Round(a * rgba[p + c] + (1 - a) * 255);
            flat[p + 3] = 255;
        }
        return flat;
    }

    private static Input Image(byte[] encoded) => new() { Image = ByteString.CopyFrom(encoded) };

    private static Input RgbaPixels(byte[] rgba) =>
        new() { Pixels = new RawPixels { Data = ByteString.CopyFrom(rgba), Width = Size, Height = Size, Channels = 4 } };

    private static double MaxAbsDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

    private async Task<float[]> EmbedAsync(IEnumerable<Input> inputs) =>
        (await _embeddings.EmbedAsync(new EmbedRequest { Backbone = "resnet18", Inputs = { inputs } })).Embeddings.ToArray();
}
