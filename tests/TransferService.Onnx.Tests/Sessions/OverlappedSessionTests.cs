using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Tests.Sessions;

/// <summary>A batch split into runs packed while the previous one executes gives the embeddings of one run, in order.</summary>
[Collection(InstalledBuiltins.Collection)]
public sealed class OverlappedSessionTests(InstalledBuiltins builtins)
{
    [Fact]
    public void Run_ResNet18BatchInRunsOfThree_SameEmbeddingsInTheSameOrder()
    {
        var manifest = builtins.Manifest("resnet18");
        var inputs = builtins.FashionImages(manifest, 10, train: true);
        using var whole = builtins.Session(manifest, new LaneOptions());
        using var overlapped = builtins.Session(manifest, new LaneOptions { ItemsPerRun = 3 });

        var expected = InstalledBuiltins.Embed(whole, manifest, inputs);
        var actual = InstalledBuiltins.Embed(overlapped, manifest, inputs);

        Assert.InRange(Rows.MaxRelativeError(actual, expected, manifest.Dimension), 0, 1e-6);
        // Distinct images give distinct rows, so a swapped pair of runs could not pass the comparison above by chance.
        Assert.True(Rows.MaxRelativeError(actual.AsSpan(0, 512).ToArray(), expected.AsSpan(512, 512).ToArray(), 512) > 0.01);
    }
}
