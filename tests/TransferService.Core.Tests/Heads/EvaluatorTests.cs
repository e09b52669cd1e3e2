using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class EvaluatorTests
{
    [Fact]
    public void Metrics_KnownPredictions_GiveHandComputedNumbers()
    {
        // True: 0 0 0 1 1 2; predicted: 0 0 1 1 2 2.
        float[] probabilities = [.9f, .1f, 0, .8f, .1f, .1f, .2f, .7f, .1f, .1f, .8f, .1f, .1f, .2f, .7f, 0, .1f, .9f];
        int[] labels = [0, 0, 0, 1, 1, 2];

        var (accuracy, macroF1, precision, recall, confusion) = Evaluator.Metrics(probabilities, labels, 3);

        Assert.Equal(4 / 6.0, accuracy, 12);
        Assert.Equal([1.0, 0.5, 0.5], precision);
        Assert.Equal([2 / 3.0, 0.5, 1.0], recall);
        Assert.Equal((0.8 + 0.5 + 2 / 3.0) / 3, macroF1, 12);
        Assert.Equal([2, 1, 0], confusion[0]);
        Assert.Equal([0, 1, 1], confusion[1]);
    }

    [Fact]
    public void RowLosses_AreTheTrueLabelsCrossEntropy()
    {
        float[] probabilities = [0.25f, 0.75f, 0.9f, 0.1f, 0f, 1f];
        var losses = Evaluator.RowLosses(probabilities, [1, 0, 0], classes: 2);
        Assert.Equal(-Math.Log(0.75), losses[0], 6);
        Assert.Equal(-Math.Log(0.9), losses[1], 6);
        Assert.Equal(-Math.Log(1e-12), losses[2], 3);  // clipped, not infinite
    }
}
