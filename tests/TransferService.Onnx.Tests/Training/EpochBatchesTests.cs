using TransferService.Core.Heads;
using TransferService.Onnx.Training;

namespace TransferService.Onnx.Tests.Training;

public sealed class EpochBatchesTests
{
    [Fact]
    public void Fill_LastBatch_PaddedWithZeroWeightAndEveryRowOnce()
    {
        int[] labels = [0, 1, 1, 2, 2, 2, 0];
        float[] classWeights = [1, 2, 3];
        var batches = new EpochBatches(labels, batchSize: 3, classWeights, new Random(1));
        batches.Shuffle();
        var (indices, y, weights) = (new long[9], new long[9], new float[9]);

        for (var b = 0; b < batches.BatchesPerEpoch; b++)
            batches.Fill(b, indices.AsSpan(b * 3, 3), y.AsSpan(b * 3, 3), weights.AsSpan(b * 3, 3));

        Assert.Equal(3, batches.BatchesPerEpoch);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), indices[..7].Order());
        Assert.Equal(indices[..7].Select(i => (long)labels[i]), y[..7]);
        Assert.Equal(indices[..7].Select(i => classWeights[labels[i]]), weights[..7]);
        Assert.Equal([0f, 0f], weights[7..]);
    }

    [Fact]
    public void ClassWeights_Balanced_IsCountOverClassesTimesClassCount()
    {
        int[] labels = [0, 1, 1, 1, 2, 2];

        var weights = HeadInitializer.ClassWeights(ClassWeighting.Balanced, labels, 4);

        // N / (C · n_c) = 6 / (4 · n_c); class 3 has no sample.
        Assert.Equal([1.5f, 0.5f, 0.75f, 0f], weights);
    }

    [Fact]
    public void ClassWeights_None_IsOneForEveryClass()
    {
        Assert.Equal([1f, 1f, 1f], HeadInitializer.ClassWeights(ClassWeighting.None, [0, 0, 1], 3));
    }
}
