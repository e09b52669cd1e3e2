using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Tests.Sessions;

/// <summary>A backbone run as one session per batch size (the default on CUDA lanes, asked for here on a CPU lane),
/// each run padded up to its session's size, gives each item the embedding of an unpadded run, on both data paths;
/// text keeps one session.</summary>
[Collection(InstalledBuiltins.Collection)]
public sealed class SessionPerBatchSizeTests(InstalledBuiltins builtins)
{
    [Theory]
    [InlineData(DataPath.Graph)]
    [InlineData(DataPath.Host)]
    public void Run_ResNet18BatchesOfElevenTwoAndOne_SameEmbeddingsAsOneSession(DataPath dataPath)
    {
        var manifest = builtins.Manifest("resnet18");
        var inputs = builtins.FashionImages(manifest, 14);
        using var one = builtins.Session(manifest, new LaneOptions { DataPath = dataPath });
        using var perSize = builtins.Session(manifest, new LaneOptions { DataPath = dataPath, SessionPerBatchSize = true });
        Assert.Null(one.BatchSizes);
        Assert.Equal([1, 8, 16, 32], perSize.BatchSizes!);

        var expected = InstalledBuiltins.Embed(one, manifest, inputs);
        var actual = new float[expected.Length];
        var dimension = manifest.Dimension;
        // Eleven items padded to sixteen, two padded to eight, one alone: three of the four sessions.
        foreach (var (start, count) in new[] { (0, 11), (11, 2), (13, 1) })
            perSize.Run(inputs[start..(start + count)], actual.AsSpan(start * dimension, count * dimension), CancellationToken.None);

        Assert.InRange(Rows.MaxRelativeError(actual, expected, dimension), 0, 1e-6);
    }

    [Fact]
    public void Run_ResNet18InOverlappedRunsOfEight_SameEmbeddingsAsOneSession()
    {
        var manifest = builtins.Manifest("resnet18");
        var inputs = builtins.FashionImages(manifest, 13);
        using var one = builtins.Session(manifest, new LaneOptions());
        using var perSize = builtins.Session(manifest, new LaneOptions { SessionPerBatchSize = true, ItemsPerRun = 8 });
        Assert.Equal([1, 8], perSize.BatchSizes!);

        // Runs of 8 and 5 items, both on the session of 8, the second packed while the first runs.
        var actual = InstalledBuiltins.Embed(perSize, manifest, inputs);

        Assert.InRange(Rows.MaxRelativeError(actual, InstalledBuiltins.Embed(one, manifest, inputs), manifest.Dimension), 0, 1e-6);
    }

    [Theory]
    [InlineData(null, "resnet18", 1)]
    [InlineData(true, "resnet18", 4)]
    [InlineData(true, "minilm", 1)]
    public void WeightCopies_ACopyPerSession(bool? sessionPerBatchSize, string backbone, int expected)
    {
        var runtime = new OnnxBackboneRuntime(
            new DeviceLaneSet(new LaneOptions { Devices = "cpu", SessionPerBatchSize = sessionPerBatchSize }, NullLoggerFactory.Instance), long.MaxValue);

        Assert.Equal(expected, runtime.WeightCopies(builtins.Manifest(backbone)));
    }

    [Fact]
    public void Open_MiniLm_OneSessionWhateverTheOption()
    {
        using var session = builtins.Session(builtins.Manifest("minilm"), new LaneOptions { SessionPerBatchSize = true });

        Assert.Null(session.BatchSizes);
    }
}
