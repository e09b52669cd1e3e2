using System.Globalization;
using TransferService.Core.Heads;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Training;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>The service's head training: <see cref="OnnxHeadRuntime.Train"/> with one config, then the validation
/// accuracy from a scorer on the returned (best-epoch) weights, on the same lane.</summary>
internal sealed class OnnxHeadContender(OnnxHeadRuntime runtime, TrainingConfig config, string lane) : IContender
{
    public string Name { get; } = Describe(config);
    public bool IsMlNet => false;

    public ContenderOutcome TrainAndEvaluate(BenchmarkSplit split)
    {
        var result = runtime.Train(split.Train, split.Validation, split.Classes, config, lane, WorkTag.System, null, CancellationToken.None);
        using var scorer = runtime.CreateScorer(result.Weights, 1f, lane);
        var probabilities = scorer.Probabilities(split.Validation.Features, split.Validation.Count);
        var accuracy = Accuracy(probabilities, split.Validation.Labels, split.Classes);
        return new ContenderOutcome(accuracy, $"best epoch {result.BestEpoch} of {result.Epochs.Count}");
    }

    private static double Accuracy(float[] probabilities, int[] labels, int classes)
    {
        var right = 0;
        for (var i = 0; i < labels.Length; i++)
            if (ArgMax(probabilities.AsSpan(i * classes, classes)) == labels[i]) right++;
        return (double)right / labels.Length;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++)
            if (row[c] > row[best]) best = c;
        return best;
    }

    private static string Describe(TrainingConfig c)
    {
        var patience = c.EarlyStoppingPatience > 0 ? $", patience {c.EarlyStoppingPatience}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"ours {c.Architecture.ToString().ToLowerInvariant()}, {c.Epochs} ep, b{c.BatchSize}, lr {c.LearningRate:0.###e0}{patience}");
    }
}
