using Microsoft.ML;
using Microsoft.ML.Trainers;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>LogisticRegressionCV's search done with ML.NET: multinomial logistic regression (LbfgsMaximumEntropy, no L1)
/// whose L2 weight is chosen from scikit-learn's default grid (C = 10 values on a log scale from 1e-4 to 1e4; ML.NET's
/// objective is (Σ loss + L2·‖w‖²/2) / n, scikit-learn's C·Σ loss + ‖w‖²/2, so L2 = 1 / C) by 5-fold cross-validated
/// accuracy on the train rows, then fit on all of them; accuracy and macro-F1 on the validation rows. What a user of
/// ML.NET does to reach the reference's accuracy, against its defaults (L1 1, L2 1: C = 1 plus a lasso).</summary>
internal sealed class CrossValidatedLbfgsContender : IContender
{
    private static readonly float[] L2Grid = Enumerable.Range(0, 10).Select(i => (float)(1 / Math.Pow(10, -4 + 8 * i / 9.0))).ToArray();

    public string Name => "ML.NET LbfgsMaximumEntropy, L2 by 5-fold CV";
    public bool IsMlNet => true;

    public ContenderOutcome TrainAndEvaluate(BenchmarkSplit split)
    {
        var (accuracy, macroF1, l2) = Fit(split);
        return new ContenderOutcome(accuracy, $"macro-F1 {macroF1:P2}; L2 {l2:G3}");
    }

    public static (double Accuracy, double MacroF1, float L2) Fit(BenchmarkSplit split)
    {
        var ml = new MLContext(seed: 0);
        var train = EmbeddingRow.Load(ml, split.Train);
        var validation = EmbeddingRow.Load(ml, split.Validation);
        IEstimator<ITransformer> Pipeline(float l2) => ml.Transforms.Conversion.MapValueToKey(nameof(EmbeddingRow.Label))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new LbfgsMaximumEntropyMulticlassTrainer.Options { L2Regularization = l2, L1Regularization = 0 }));
        var l2 = L2Grid.MaxBy(l2 => ml.MulticlassClassification.CrossValidate(train, Pipeline(l2), numberOfFolds: 5, nameof(EmbeddingRow.Label))
            .Average(fold => fold.Metrics.MicroAccuracy));
        var metrics = ml.MulticlassClassification.Evaluate(Pipeline(l2).Fit(train).Transform(validation), nameof(EmbeddingRow.Label));
        var (precision, recall) = (metrics.ConfusionMatrix.PerClassPrecision, metrics.ConfusionMatrix.PerClassRecall);
        var macroF1 = precision.Select((p, c) => p + recall[c] == 0 ? 0 : 2 * p * recall[c] / (p + recall[c])).Average();
        return (metrics.MicroAccuracy, macroF1, l2);
    }
}
