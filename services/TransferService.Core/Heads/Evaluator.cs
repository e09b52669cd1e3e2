namespace TransferService.Core.Heads;

/// <summary>Classification metrics from predicted probabilities [n × C] and true labels.</summary>
public static class Evaluator
{
    public static (double Accuracy, double MacroF1, double[] Precision, double[] Recall, int[][] Confusion) Metrics(
        ReadOnlySpan<float> probabilities, int[] labels, int classes)
    {
        var confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        for (var i = 0; i < labels.Length; i++) confusion[labels[i]][ArgMax(probabilities.Slice(i * classes, classes))]++;
        var precision = new double[classes];
        var recall = new double[classes];
        var f1 = new double[classes];
        for (var c = 0; c < classes; c++)
        {
            var truePositives = confusion[c][c];
            var predicted = confusion.Sum(row => row[c]);
            var actual = confusion[c].Sum();
            precision[c] = predicted == 0 ? 0 : truePositives / (double)predicted;
            recall[c] = actual == 0 ? 0 : truePositives / (double)actual;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        var correct = Enumerable.Range(0, classes).Sum(c => confusion[c][c]);
        return (labels.Length == 0 ? 0 : correct / (double)labels.Length, f1.Average(), precision, recall, confusion);
    }

    /// <summary>Mean negative log-likelihood of the true labels.</summary>
    public static double LogLoss(ReadOnlySpan<float> probabilities, int[] labels, int classes)
    {
        var sum = 0.0;
        foreach (var loss in RowLosses(probabilities, labels, classes)) sum += loss;
        return labels.Length == 0 ? 0 : sum / labels.Length;
    }

    /// <summary>Each row's negative log-likelihood of its true label, −log p (p clipped at 1e-12).</summary>
    public static double[] RowLosses(ReadOnlySpan<float> probabilities, int[] labels, int classes)
    {
        var losses = new double[labels.Length];
        for (var i = 0; i < labels.Length; i++) losses[i] = -Math.Log(Math.Max(probabilities[i * classes + labels[i]], 1e-12f));
        return losses;
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
