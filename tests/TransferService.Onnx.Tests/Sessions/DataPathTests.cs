using SkiaSharp;
using TransferService.Core.Inputs;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Tests.Preprocessing;
using TransferService.Tests.Infrastructure;

namespace TransferService.Onnx.Tests.Sessions;

/// <summary>The in-graph data path (8-bit pixels and token ids in, normalisation and pooling in the graph) against the
/// host path it replaces, on the real built-in backbones and real data.</summary>
[Collection(InstalledBuiltins.Collection)]
public sealed class DataPathTests(InstalledBuiltins builtins)
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Run_ResNet18PixelsAndPng_InGraphEqualsHostPath()
    {
        var manifest = builtins.Manifest("resnet18");
        var preparer = builtins.Preparer(manifest);
        var (images, _) = FashionMnist.Load(train: false, count: 6);
        var inputs = images.Select(i => (EmbeddingInput)new RawPixelsInput(i, 28, 28, 1))
            .Concat(images.Take(3).Select(i => new EncodedImageInput(Png(i)))).Select(preparer.Prepare).ToArray();

        var (inGraph, host) = EmbedBothWays(manifest, inputs);

        Assert.InRange(Rows.MaxRelativeError(inGraph, host, manifest.Dimension), 0, Tolerance);
    }

    [Fact]
    public void Run_ResNet18RawRgbAtTheModelSize_HeldAsItCameEqualsTheSamePixelsAsRgbaAndTheHostPath()
    {
        // Raw RGB at 224×224 is held as the request's bytes and widened while the batch is packed; the same pixels
        // with an opaque alpha channel take the bitmap path to RGBA at preparation. Real images, scaled up 8×, with
        // three different channels so a channel out of place shows.
        var manifest = builtins.Manifest("resnet18");
        var preparer = builtins.Preparer(manifest);
        var (images, _) = FashionMnist.Load(train: false, count: 6);
        var rgb = images.Select(i => Scaled(i, 3)).ToArray();
        var rgba = images.Select(i => Scaled(i, 4)).ToArray();

        var (held, heldOnHost) = EmbedBothWays(manifest, rgb.Select(p => preparer.Prepare(new RawPixelsInput(p, 224, 224, 3))).ToArray());
        var (widened, _) = EmbedBothWays(manifest, rgba.Select(p => preparer.Prepare(new RawPixelsInput(p, 224, 224, 4))).ToArray());

        Assert.InRange(Rows.MaxRelativeError(held, widened, manifest.Dimension), 0, 1e-6);
        Assert.InRange(Rows.MaxRelativeError(held, heldOnHost, manifest.Dimension), 0, Tolerance);
    }

    /// <summary>A 28×28 gray image as 224×224 rows of <paramref name="channels"/> (R = gray, G = 255 − gray, B = gray / 2,
    /// alpha opaque).</summary>
    private static byte[] Scaled(byte[] gray28, int channels)
    {
        var rows = new byte[224 * 224 * channels];
        for (var y = 0; y < 224; y++)
        for (var x = 0; x < 224; x++)
        {
            var value = gray28[y / 8 * 28 + x / 8];
            var at = (y * 224 + x) * channels;
            rows[at] = value;
            rows[at + 1] = (byte)(255 - value);
            rows[at + 2] = (byte)(value / 2);
            if (channels == 4) rows[at + 3] = 255;
        }
        return rows;
    }

    [Fact]
    public void Run_MiniLmCorpusTexts_InGraphEqualsHostPath()
    {
        var manifest = builtins.Manifest("minilm");
        var preparer = builtins.Preparer(manifest);
        // Every third line of the tokenizer corpus: short and long texts (some cut at 256 tokens) in the same batches.
        var inputs = ReferenceTokenizer.ReadCorpus().Where((_, line) => line % 3 == 0).Select(t => preparer.Prepare(new TextInput(t))).ToArray();

        var (inGraph, host) = EmbedBothWays(manifest, inputs);

        // The service L2-normalises a normalising backbone's host-path output afterwards; the graph already did.
        Assert.InRange(Rows.MaxRelativeError(inGraph, Rows.Normalized(host, manifest.Dimension), manifest.Dimension), 0, Tolerance);
    }

    private (float[] InGraph, float[] Host) EmbedBothWays(Core.Backbones.BackboneManifest manifest, PreparedInput[] inputs)
    {
        using var graph = builtins.Session(manifest, new LaneOptions { DataPath = DataPath.Graph });
        using var host = builtins.Session(manifest, new LaneOptions { DataPath = DataPath.Host });
        Assert.True(graph.InGraph);
        Assert.False(host.InGraph);
        return (InstalledBuiltins.Embed(graph, manifest, inputs), InstalledBuiltins.Embed(host, manifest, inputs));
    }

    private static byte[] Png(byte[] gray28)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        gray28.CopyTo(bitmap.GetPixelSpan());
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
