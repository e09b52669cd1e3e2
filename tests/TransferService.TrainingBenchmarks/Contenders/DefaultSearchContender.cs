using TransferService.Core.Heads;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Training;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>What TrainHead without config does: the default grid ranked on a stratified 20 % of the train rows
/// (seed 0), the winner refit on every train row for its best epoch count; accuracy and macro-F1 on the split's
/// validation rows, which the search never sees.</summary>
internal sealed class DefaultSearchContender(OnnxHeadRuntime runtime, string lane) : IContender
{
    public string Name => "ours: default search + refit";
    public bool IsMlNet => false;

    public ContenderOutcome TrainAndEvaluate(BenchmarkSplit split)
    {
        var inner = BenchmarkSplit.Stratified(split.Train, split.Classes);
        var plan = new TrainingPlan(DefaultSearchGrid.Candidates(split.Train.Labels.CountBy(l => l).Select(c => c.Value)), Search: true, DefaultGrid: true);
        var result = HeadSearchRun.Execute(runtime, plan, inner.Train, inner.Validation, split.Train, split.Classes, lane, WorkTag.System, null, CancellationToken.None);
        using var scorer = runtime.CreateScorer(result.Weights, 1f, lane);
        var probabilities = scorer.Probabilities(split.Validation.Features, split.Validation.Count);
        var (accuracy, macroF1, _, _, _) = Evaluator.Metrics(probabilities, split.Validation.Labels, split.Classes);
        var chosen = result.Config;
        return new ContenderOutcome(accuracy, $"macro-F1 {macroF1:P2}; chose {chosen.Architecture.ToString().ToLowerInvariant()} lr {chosen.LearningRate} " +
            $"wd {chosen.WeightDecay}, {chosen.Epochs} epochs");
    }
}
