using System.Globalization;
using System.Text;
using TransferService.TrainingBenchmarks.Measuring;

namespace TransferService.TrainingBenchmarks.Reporting;

/// <summary>The results as a markdown table against the better ML.NET trainer (the more accurate; the faster on a
/// tie), and the verdict on the goal: within 0.5 point of its accuracy in at most half its time.</summary>
internal static class ComparisonTable
{
    private const double AccuracyTolerancePoints = 0.5;
    private const double TimeBudgetRatio = 0.5;

    public static string Describe(TrainingBenchmarkOptions options, Dataset.BenchmarkSplit split) => string.Create(CultureInfo.InvariantCulture,
        $"Fashion-MNIST first {split.Train.Count + split.Validation.Count} items, resnet18 {split.Train.Dimension}-d embeddings, " +
        $"{split.Train.Count} train / {split.Validation.Count} validation (stratified, seed 0); {Environment.ProcessorCount} cores, " +
        $"device {options.Device}; median of {options.Repeats} interleaved rounds; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");

    public static string ToMarkdown(IReadOnlyList<ContenderResult> results)
    {
        var baseline = BestMlNet(results);
        var table = new StringBuilder()
            .AppendLine("| contender | accuracy | median time s | time vs best ML.NET | accuracy vs best ML.NET (points) | notes |")
            .AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var r in results)
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Contender.Name} | {Accuracy(r)} | {r.MedianSeconds:F2} | {r.MedianSeconds / baseline.MedianSeconds:F2}× | " +
                $"{Points(r.MedianAccuracy - baseline.MedianAccuracy)} | {r.Outcomes[^1].Detail} |");
        return table.ToString().TrimEnd();
    }

    public static string Verdict(IReadOnlyList<ContenderResult> results)
    {
        var baseline = BestMlNet(results);
        var ours = results.Where(r => !r.Contender.IsMlNet).ToArray();
        var closeEnough = ours.Where(r => (baseline.MedianAccuracy - r.MedianAccuracy) * 100 <= AccuracyTolerancePoints).ToArray();
        // The best of ours: the fastest that is accurate enough, else the most accurate.
        var best = closeEnough.Length > 0 ? closeEnough.MinBy(r => r.MedianSeconds)! : ours.MaxBy(r => r.MedianAccuracy)!;
        var met = closeEnough.Length > 0 && best.MedianSeconds <= TimeBudgetRatio * baseline.MedianSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"Goal (accuracy within {AccuracyTolerancePoints} point of {baseline.Contender.Name}, in at most half its " +
            $"{baseline.MedianSeconds:F2} s): **{(met ? "met" : "not met")}** by {best.Contender.Name}: " +
            $"{Points(best.MedianAccuracy - baseline.MedianAccuracy)} points in {best.MedianSeconds / baseline.MedianSeconds:F2}× the time.");
    }

    private static ContenderResult BestMlNet(IReadOnlyList<ContenderResult> results) =>
        results.Where(r => r.Contender.IsMlNet).OrderByDescending(r => r.MedianAccuracy).ThenBy(r => r.MedianSeconds).First();

    private static string Accuracy(ContenderResult r) => r.MinAccuracy == r.MaxAccuracy
        ? FormattableString.Invariant($"{r.MedianAccuracy * 100:F2} %")
        : FormattableString.Invariant($"{r.MedianAccuracy * 100:F2} % ({r.MinAccuracy * 100:F2}–{r.MaxAccuracy * 100:F2})");

    private static string Points(double difference) => (difference * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
}
