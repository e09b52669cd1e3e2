using System.Globalization;
using System.Text;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>One dataset's line of the reference table: the default head, scikit-learn's cross-validated logistic
/// regression, ML.NET's LbfgsMaximumEntropy with its defaults and with its L2 chosen by the same cross-validation, all
/// on the same embeddings and split.</summary>
internal sealed record ReferenceRow(string Dataset, int Train, int Test, FittedOutcome Ours, double OursSeconds,
    SklearnReference.Outcome Sklearn, double MlNetAccuracy, double MlNetSeconds, (double Accuracy, double MacroF1, double Seconds) MlNetTuned)
{
    public static string ToMarkdown(IReadOnlyList<ReferenceRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| dataset | train / test | default head acc / macro-F1 | LogisticRegressionCV acc / macro-F1 (C) | points vs reference (acc / F1) " +
            "| default head s | ML.NET defaults acc, s | ML.NET L2 by CV acc / macro-F1, s | LogisticRegressionCV s | time vs ML.NET defaults / L2 by CV / LogisticRegressionCV | chosen |");
        text.AppendLine("|---|---|---|---|---|---:|---|---|---:|---|---|");
        foreach (var r in rows)
        {
            var chosen = r.Ours.Chosen;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Dataset} | {r.Train} / {r.Test} | {r.Ours.Accuracy:P2} / {r.Ours.MacroF1:P2} | {r.Sklearn.Accuracy:P2} / {r.Sklearn.MacroF1:P2} ({r.Sklearn.C:G3}) " +
                $"| {100 * (r.Ours.Accuracy - r.Sklearn.Accuracy):+0.00;-0.00} / {100 * (r.Ours.MacroF1 - r.Sklearn.MacroF1):+0.00;-0.00} | {r.OursSeconds:F2} " +
                $"| {r.MlNetAccuracy:P2}, {r.MlNetSeconds:F2} | {r.MlNetTuned.Accuracy:P2} / {r.MlNetTuned.MacroF1:P2}, {r.MlNetTuned.Seconds:F2} | {r.Sklearn.Seconds:F2} " +
                $"| {r.OursSeconds / r.MlNetSeconds:F2}× / {r.OursSeconds / r.MlNetTuned.Seconds:F2}× / {r.OursSeconds / r.Sklearn.Seconds:F2}× " +
                $"| {chosen.Architecture.ToString().ToLowerInvariant()} lr {chosen.LearningRate} wd {chosen.WeightDecay}, {chosen.Epochs} epochs |"));
        }
        text.Append("Goal: the default head within 0.5 point of LogisticRegressionCV in accuracy and macro-F1, in at most 0.5× ML.NET's time " +
            "(ML.NET's defaults train one heavily regularised model; with L2 chosen as LogisticRegressionCV chooses C it reaches the reference's accuracy). " +
            "LogisticRegressionCV's time is one run, taken when its result was cached.");
        return text.ToString();
    }
}
