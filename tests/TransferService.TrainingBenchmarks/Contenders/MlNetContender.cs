using Microsoft.ML;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>An ML.NET multiclass trainer with its defaults: data views over the same rows, MapValueToKey on the
/// label, fit on train, MicroAccuracy from <c>MulticlassClassification.Evaluate</c> on validation. A fresh
/// <c>MLContext(seed: 0)</c> per run.</summary>
internal sealed class MlNetContender(string name, Func<MLContext, IEstimator<ITransformer>> trainer) : IContender
{
    public string Name => name;
    public bool IsMlNet => true;

    public ContenderOutcome TrainAndEvaluate(BenchmarkSplit split)
    {
        var ml = new MLContext(seed: 0);
        var train = EmbeddingRow.Load(ml, split.Train);
        var validation = EmbeddingRow.Load(ml, split.Validation);
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(EmbeddingRow.Label)).Append(trainer(ml));
        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(validation), nameof(EmbeddingRow.Label));
        return new ContenderOutcome(metrics.MicroAccuracy, "");
    }
}
