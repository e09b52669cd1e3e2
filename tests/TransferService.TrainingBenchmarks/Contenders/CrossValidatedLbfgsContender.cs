using Microsoft.ML;
using Microsoft.ML.Trainers;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>The reference a default head is held to: multinomial logistic regression (ML.NET LbfgsMaximumEntropy)
/// whose L2 strength is chosen by 5-fold cross-validation (best mean log-loss) on the train rows, then fit on all of
/// them; accuracy and macro-F1 on the validation rows.</summary>
internal sealed class CrossValidatedLbfgsContender : IContender
{
    private static readonly float[] L2Grid = [0.01f, 0.1f, 1f, 10f, 100f];

    public string Name => "ML.NET LbfgsMaximumEntropy, L2 by 5-fold CV";
    public bool IsMlNet => true;

    public ContenderOutcome TrainAndEvaluate(BenchmarkSplit split)
    {
        var ml = new MLContext(seed: 0);
        var train = EmbeddingRow.Load(ml, split.Train);
        var validation = EmbeddingRow.Load(ml, split.Validation);
        IEstimator<ITransformer> Pipeline(float l2) => ml.Transforms.Conversion.MapValueToKey(nameof(EmbeddingRow.Label))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { L2Regularization = l2 }));
        var l2 = L2Grid.MinBy(l2 => ml.MulticlassClassification.CrossValidate(train, Pipeline(l2), numberOfFolds: 5, nameof(EmbeddingRow.Label))
            .Average(fold => fold.Metrics.LogLoss));
        var metrics = ml.MulticlassClassification.Evaluate(Pipeline(l2).Fit(train).Transform(validation), nameof(EmbeddingRow.Label));
        var (precision, recall) = (metrics.ConfusionMatrix.PerClassPrecision, metrics.ConfusionMatrix.PerClassRecall);
        var macroF1 = precision.Select((p, c) => p + recall[c] == 0 ? 0 : 2 * p * recall[c] / (p + recall[c])).Average();
        return new ContenderOutcome(metrics.MicroAccuracy, $"macro-F1 {macroF1:P2}; L2 {l2}");
    }
}
