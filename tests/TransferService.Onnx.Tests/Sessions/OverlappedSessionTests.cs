using TransferService.Core.Inputs;
using TransferService.Onnx.Lanes;
using TransferService.Tests.Infrastructure;

namespace TransferService.Onnx.Tests.Sessions;

/// <summary>A batch split into runs packed while the previous one executes gives the embeddings of one run, in order.</summary>
[Collection(InstalledBuiltins.Collection)]
public sealed class OverlappedSessionTests(InstalledBuiltins builtins)
{
    [Fact]
    public void Run_ResNet18BatchInRunsOfThree_SameEmbeddingsInTheSameOrder()
    {
        var manifest = builtins.Manifest("resnet18");
        var preparer = builtins.Preparer(manifest);
        var (images, _) = FashionMnist.Load(train: true, count: 10);
        var inputs = images.Select(i => preparer.Prepare(new RawPixelsInput(i, 28, 28, 1))).ToArray();
        using var whole = builtins.Session(manifest, new LaneOptions());
        using var overlapped = builtins.Session(manifest, new LaneOptions { ItemsPerRun = 3 });

        var expected = InstalledBuiltins.Embed(whole, manifest, inputs);
        var actual = InstalledBuiltins.Embed(overlapped, manifest, inputs);

        Assert.InRange(Rows.MaxRelativeError(actual, expected, manifest.Dimension), 0, 1e-6);
        // Distinct images give distinct rows, so a swapped pair of runs could not pass the comparison above by chance.
        Assert.True(Rows.MaxRelativeError(actual.AsSpan(0, 512).ToArray(), expected.AsSpan(512, 512).ToArray(), 512) > 0.01);
    }
}
