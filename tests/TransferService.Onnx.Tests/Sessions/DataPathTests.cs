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
