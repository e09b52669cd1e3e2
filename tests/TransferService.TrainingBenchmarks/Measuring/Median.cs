namespace TransferService.TrainingBenchmarks.Measuring;

internal static class Median
{
    /// <summary>The middle value, or the mean of the two middle values of an even count.</summary>
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
