using TransferService.Core.Heads;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Lanes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Training;

/// <summary>One training run: epochs of shuffled fixed-size batches, validation after each, early stopping, and the
/// parameters of the best validation-loss epoch. Every random draw (initial weights, order, dropout masks) comes from
/// one <see cref="Random"/> seeded by the config, so a seed fixes the result on a given lane. The steps run in slices of
/// the lane (<see cref="LaneSlices"/>), and so does each validation pass, so other work gets the lane in between.</summary>
internal static class HeadTrainingRun
{
    public static HeadTrainingResult Execute(TrainingData train, TrainingData validation, int classes, TrainingConfig config,
        DeviceLane lane, LaneSlices slices, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        var layers = HeadWeights.Layers(config, classes);
        var dropout = layers.Length > 1 && config.Dropout > 0;
        var spec = new TrainingGraphSpec(train.Dimension, layers, DataType.Float,
            config.LabelSmoothing, config.WeightDecay, DropoutMasks: dropout);
        var random = new Random(config.Seed);
        var initial = HeadInitializer.Parameters(spec, random);
        var batches = new EpochBatches(train.Labels, Math.Min(config.BatchSize, train.Count),
            HeadInitializer.ClassWeights(config.ClassWeighting, train.Labels, classes), random);

        using var step = new TrainingStepSession(spec, lane, train, batches.BatchSize, initial);
        using var validator = validation.Count > 0 ? new ValidationSession(spec, lane, validation) : null;
        using var snapshot = new SnapshotSession(spec, lane);

        var epochs = new List<EpochMetrics>();
        HeadWeights? best = null;
        var (bestEpoch, bestLoss, sinceBest, steps) = (0, double.PositiveInfinity, 0, 0L);
        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            batches.Shuffle();
            var lossSum = 0.0;
            var epochSteps = 0;
            for (var b = 0; b < batches.BatchesPerEpoch && !StepLimitReached(config, steps);)
            {
                using var slice = slices.Enter(cancellationToken);
                var started = slices.Now;
                for (var n = 0; !slices.Done(n, started) && b < batches.BatchesPerEpoch && !StepLimitReached(config, steps); n++, b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    batches.Fill(b, step.Inputs.Indices, step.Inputs.Labels, step.Inputs.SampleWeights);
                    if (dropout) step.Inputs.DrawMasks(config.Dropout, random);
                    lossSum += step.Run(config.LearningRate, ++steps);
                    epochSteps++;
                }
            }
            if (epochSteps == 0) break;
            // Validation is one pass over the whole split: do not start it for a run that was just cancelled.
            cancellationToken.ThrowIfCancellationRequested();

            var (loss, accuracy) = (double.NaN, double.NaN);
            if (validator is not null)
                using (slices.Enter(cancellationToken))
                {
                    (loss, accuracy) = validator.Evaluate(step.Current);
                    if (loss < bestLoss) best = snapshot.Copy(step.Current);
                }
            var metrics = new EpochMetrics(epoch, (int)steps, lossSum / epochSteps, loss, accuracy);
            epochs.Add(metrics);
            progress?.Report(metrics);

            if (validator is null) continue;
            if (loss < bestLoss) (bestEpoch, bestLoss, sinceBest) = (epoch, loss, 0);
            else if (config.EarlyStoppingPatience > 0 && ++sinceBest >= config.EarlyStoppingPatience) break;
        }
        // No validation split, every validation loss NaN (diverged), or no epoch run: keep what the run ended with.
        if (best is null)
            using (slices.Enter(CancellationToken.None))
                (best, bestEpoch) = (snapshot.Copy(step.Current), epochs.Count);
        return new HeadTrainingResult(best, epochs, bestEpoch);
    }

    private static bool StepLimitReached(TrainingConfig config, long steps) => config.MaxSteps > 0 && steps >= config.MaxSteps;
}
