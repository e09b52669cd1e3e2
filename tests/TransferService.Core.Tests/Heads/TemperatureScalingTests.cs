using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class TemperatureScalingTests
{
    [Fact]
    public void Fit_OverconfidentProbabilities_RecoversTheTemperatureThatGeneratedTheLabels()
    {
        // Labels drawn from softmax(z / 2); the model reports softmax(z): over-confident by T = 2.
        var random = new Random(3);
        const int rows = 4000, classes = 3;
        var reported = new float[rows * classes];
        var labels = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            var logits = Enumerable.Range(0, classes).Select(_ => random.NextDouble() * 8 - 4).ToArray();
            var truth = Softmax(logits.Select(l => l / 2).ToArray());
            labels[r] = Sample(truth, random.NextDouble());
            Softmax(logits).Select(p => (float)p).ToArray().CopyTo(reported, r * classes);
        }

        var temperature = TemperatureScaling.Fit(reported, labels, classes);

        Assert.InRange(temperature, 1.8f, 2.2f);
        Assert.True(Evaluator.LogLoss(TemperatureScaling.Apply(reported, classes, temperature), labels, classes)
            < Evaluator.LogLoss(reported, labels, classes));
    }

    [Fact]
    public void Fit_SmallSplitAllRight_PriorKeepsTemperatureNearOneInsteadOfItsFloor()
    {
        // 18 rows, every one right at 0.9: plain NLL keeps falling as T shrinks, so without the prior T hits 0.05.
        const int rows = 18, classes = 3;
        var probabilities = new float[rows * classes];
        var labels = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = r % classes;
            for (var c = 0; c < classes; c++) probabilities[r * classes + c] = c == labels[r] ? 0.9f : 0.05f;
        }

        var temperature = TemperatureScaling.Fit(probabilities, labels, classes);
        var sharpest = TemperatureScaling.Apply(probabilities, classes, temperature).Max();

        Assert.InRange(temperature, 0.4f, 1f);
        Assert.True(sharpest < 0.9999f, $"top probability {sharpest} at T = {temperature}");
    }

    private static int Sample(double[] probabilities, double u)
    {
        for (var i = 0; i < probabilities.Length - 1; i++)
            if ((u -= probabilities[i]) < 0) return i;
        return probabilities.Length - 1;
    }

    private static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        return exp.Select(e => e / exp.Sum()).ToArray();
    }
}
