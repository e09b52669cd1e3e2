using TransferService.TrainingBenchmarks.Contenders;

namespace TransferService.TrainingBenchmarks.Measuring;

/// <summary>Every timed run of one contender, in round order.</summary>
internal sealed record ContenderResult(IContender Contender, IReadOnlyList<double> Seconds, IReadOnlyList<ContenderOutcome> Outcomes)
{
    public double MedianSeconds => Median.Of(Seconds);
    public double MedianAccuracy => Median.Of(Outcomes.Select(o => o.Accuracy));
    public double MinAccuracy => Outcomes.Min(o => o.Accuracy);
    public double MaxAccuracy => Outcomes.Max(o => o.Accuracy);

}
