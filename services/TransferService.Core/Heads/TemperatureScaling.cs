namespace TransferService.Core.Heads;

/// <summary>Fits one temperature T for softmax(logits / T): the maximum a posteriori T under the validation NLL and a
/// normal prior on log T centred on 0 (T = 1, the head as trained). Plain NLL minimisation collapses on a small
/// split the head already separates (T → its floor, every probability 1.000: sharper always lowers the NLL of rows
/// that are all right); the prior weighs as much as a few rows, so on a handful of rows T stays near 1 and on
/// hundreds the data decides. Works from the uncalibrated probabilities: log p differs from the
/// logits by a per-row constant, which softmax ignores.</summary>
public static class TemperatureScaling
{
    private const double MinLogT = -3;   // T ≈ 0.05
    private const double MaxLogT = 3;    // T ≈ 20
    /// <summary>Standard deviation of the prior on log T: T within ×/÷ e (2.7) of 1 at two sigmas.</summary>
    public const double PriorSigma = 0.5;

    public static float Fit(ReadOnlySpan<float> probabilities, int[] labels, int classes)
    {
        if (labels.Length == 0) return 1f;
        var logs = new double[probabilities.Length];
        for (var i = 0; i < logs.Length; i++) logs[i] = Math.Log(Math.Max(probabilities[i], 1e-30f));
        // Golden-section search on log T: the NLL is unimodal in T for fixed logits.
        double a = MinLogT, b = MaxLogT, ratio = (Math.Sqrt(5) - 1) / 2;
        double c = b - ratio * (b - a), d = a + ratio * (b - a);
        while (b - a > 1e-4)
        {
            if (Objective(logs, labels, classes, c) < Objective(logs, labels, classes, d)) b = d;
            else a = c;
            c = b - ratio * (b - a);
            d = a + ratio * (b - a);
        }
        return (float)Math.Exp((a + b) / 2);
    }

    /// <summary>softmax(log p / T) per row, in place into a new array.</summary>
    public static float[] Apply(ReadOnlySpan<float> probabilities, int classes, float temperature)
    {
        var result = new float[probabilities.Length];
        for (var row = 0; row < probabilities.Length / classes; row++)
        {
            var logits = new double[classes];
            for (var c = 0; c < classes; c++) logits[c] = Math.Log(Math.Max(probabilities[row * classes + c], 1e-30f)) / temperature;
            var max = logits.Max();
            var sum = logits.Sum(l => Math.Exp(l - max));
            for (var c = 0; c < classes; c++) result[row * classes + c] = (float)(Math.Exp(logits[c] - max) / sum);
        }
        return result;
    }

    /// <summary>Mean NLL plus the prior's negative log density, per row so both are on one scale.</summary>
    private static double Objective(double[] logs, int[] labels, int classes, double logT) =>
        Loss(logs, labels, classes, Math.Exp(logT)) + logT * logT / (2 * PriorSigma * PriorSigma * labels.Length);

    private static double Loss(double[] logs, int[] labels, int classes, double temperature)
    {
        var total = 0.0;
        for (var row = 0; row < labels.Length; row++)
        {
            var max = double.MinValue;
            for (var c = 0; c < classes; c++) max = Math.Max(max, logs[row * classes + c] / temperature);
            var sum = 0.0;
            for (var c = 0; c < classes; c++) sum += Math.Exp(logs[row * classes + c] / temperature - max);
            total -= logs[row * classes + labels[row]] / temperature - max - Math.Log(sum);
        }
        return total / labels.Length;
    }
}
