using System.Diagnostics;
using TransferService.Core.Heads;
using TransferService.Core.Scheduling;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>The service's head runtime, telling stderr how long each training run took and how many epochs it ran,
/// so the table's time can be read run by run.</summary>
internal sealed class TimedHeadRuntime(IHeadRuntime inner) : IHeadRuntime
{
    public HeadTrainingResult Train(TrainingData train, TrainingData validation, int classes, TrainingConfig config, string lane, WorkTag tag,
        IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var result = inner.Train(train, validation, classes, config, lane, tag, progress, cancellationToken);
        Console.Error.WriteLine($"  {config.Architecture.ToString().ToLowerInvariant()} lr {config.LearningRate} wd {config.WeightDecay} batch {config.BatchSize}: " +
            $"{result.Epochs.Count} epochs (best {result.BestEpoch}) on {train.Count} rows in {watch.Elapsed.TotalSeconds:F2} s");
        return result;
    }

    public IReadOnlyList<HeadTrainingResult> TrainTogether(TrainingData train, TrainingData validation, int classes, IReadOnlyList<TrainingConfig> configs,
        string lane, WorkTag tag, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var results = inner.TrainTogether(train, validation, classes, configs, lane, tag, progress, cancellationToken);
        Console.Error.WriteLine($"  {configs.Count} configs together: {results.Max(r => r.Epochs.Count)} epochs on {train.Count} rows in {watch.Elapsed.TotalSeconds:F2} s");
        return results;
    }

    public IHeadScorer CreateScorer(HeadWeights weights, float temperature, string lane) => inner.CreateScorer(weights, temperature, lane);
}
