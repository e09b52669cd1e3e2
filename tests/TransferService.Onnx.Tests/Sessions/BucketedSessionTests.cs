using TransferService.Core.Inputs;
using TransferService.Onnx.Lanes;
using TransferService.Tests.Infrastructure;

namespace TransferService.Onnx.Tests.Sessions;

/// <summary>Runs padded to a bucket's batch size (on by default on CUDA lanes, asked for here on a CPU lane) give each
/// item the embedding of an unpadded run, on both data paths.</summary>
[Collection(InstalledBuiltins.Collection)]
public sealed class BucketedSessionTests(InstalledBuiltins builtins)
{
    [Theory]
    [InlineData(DataPath.Graph)]
    [InlineData(DataPath.Host)]
    public void Run_ResNet18BatchesOfFiveAndThree_SameEmbeddingsAsUnpaddedRuns(DataPath dataPath)
    {
        var manifest = builtins.Manifest("resnet18");
        var preparer = builtins.Preparer(manifest);
        var (images, _) = FashionMnist.Load(train: false, count: 8);
        var inputs = images.Select(i => preparer.Prepare(new RawPixelsInput(i, 28, 28, 1))).ToArray();
        using var plain = builtins.Session(manifest, new LaneOptions { DataPath = dataPath });
        using var bucketed = builtins.Session(manifest, new LaneOptions { DataPath = dataPath, BucketBatches = true });
        Assert.Null(plain.BucketSizes);
        Assert.Equal([1, 2, 4, 8, 16, 32], bucketed.BucketSizes!);

        // Five items run padded to eight, then three padded to four after them, over the first run's rows.
        var expected = InstalledBuiltins.Embed(plain, manifest, inputs);
        var actual = new float[expected.Length];
        var dimension = manifest.Dimension;
        bucketed.Run(inputs[..5], actual.AsSpan(0, 5 * dimension), CancellationToken.None);
        bucketed.Run(inputs[5..], actual.AsSpan(5 * dimension), CancellationToken.None);

        Assert.InRange(Rows.MaxRelativeError(actual, expected, dimension), 0, 1e-6);
    }
}
