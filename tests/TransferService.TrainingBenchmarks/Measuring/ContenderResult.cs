using TransferService.TrainingBenchmarks.Contenders;

namespace TransferService.TrainingBenchmarks.Measuring;

/// <summary>Every timed run of one contender, in round order.</summary>
internal sealed record ContenderResult(IContender Contender, IReadOnlyList<double> Seconds, IReadOnlyList<ContenderOutcome> Outcomes)
{
    public double MedianSeconds => Median(Seconds);
    public double MedianAccuracy => Median(Outcomes.Select(o => o.Accuracy).ToArray());
    public double MinAccuracy => Outcomes.Min(o => o.Accuracy);
    public double MaxAccuracy => Outcomes.Max(o => o.Accuracy);

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
