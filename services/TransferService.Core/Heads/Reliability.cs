namespace TransferService.Core.Heads;

/// <summary>Expected calibration error and the reliability table over equal-width bins of the top probability.</summary>
public static class Reliability
{
    public const int Bins = 10;

    /// <summary>The non-empty bins, lowest first.</summary>
    public static IReadOnlyList<ReliabilityBin> Table(ReadOnlySpan<float> probabilities, int[] labels, int classes)
    {
        var counts = new int[Bins];
        var confidence = new double[Bins];
        var correct = new int[Bins];
        for (var row = 0; row < labels.Length; row++)
        {
            var scores = probabilities.Slice(row * classes, classes);
            var predicted = Evaluator.ArgMax(scores);
            var bin = Math.Clamp((int)(scores[predicted] * Bins), 0, Bins - 1);
            counts[bin]++;
            confidence[bin] += scores[predicted];
            if (predicted == labels[row]) correct[bin]++;
        }
        return Enumerable.Range(0, Bins).Where(b => counts[b] > 0)
            .Select(b => new ReliabilityBin(b / (double)Bins, (b + 1) / (double)Bins, counts[b], confidence[b] / counts[b], correct[b] / (double)counts[b]))
            .ToArray();
    }

    /// <summary>Σ (bin share) · |accuracy − mean confidence|: 0 when every bin's confidence matches its accuracy.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> table)
    {
        var total = table.Sum(b => b.Count);
        return total == 0 ? double.NaN : table.Sum(b => b.Count / (double)total * Math.Abs(b.Accuracy - b.MeanConfidence));
    }
}
