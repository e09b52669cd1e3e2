using TransferService.Core.Heads;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Lanes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Training;

/// <summary>One training run: epochs of shuffled fixed-size batches, validation after each, early stopping, and the
/// parameters of the best validation-loss epoch. Every random draw (initial weights, order, dropout masks) comes from
/// one <see cref="Random"/> seeded by the config, so a seed fixes the result on a given lane. The steps run in slices of
/// the lane (<see cref="LaneSlices"/>), and so does each validation pass, so other work gets the lane in between.
/// Several linear configs that differ only in learning rate and weight decay train as one run of heads side by side
/// (<see cref="TrainingGraphSpec.StackedWeightDecays"/>): the same batches, each head with its own early stopping (a
/// stopped head is frozen at learning rate 0), until every head has stopped or the epochs are spent.</summary>
internal static class HeadTrainingRun
{
    public static HeadTrainingResult[] Execute(TrainingData train, TrainingData validation, int classes, IReadOnlyList<TrainingConfig> configs,
        DeviceLane lane, LaneSlices slices, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        var config = configs[0];
        var heads = configs.Count;
        var layers = HeadWeights.Layers(config, classes);
        var dropout = layers.Length > 1 && config.Dropout > 0;
        var spec = new TrainingGraphSpec(train.Dimension, layers, DataType.Float, config.LabelSmoothing, config.WeightDecay, DropoutMasks: dropout,
            StackedWeightDecays: heads > 1 ? configs.Select(c => (double)c.WeightDecay).ToArray() : null);
        var random = new Random(config.Seed);
        var initial = HeadInitializer.Parameters(spec, random);
        var batches = new EpochBatches(train.Labels, Math.Min(config.BatchSize, train.Count),
            HeadInitializer.ClassWeights(config.ClassWeighting, train.Labels, classes), random);

        using var step = new TrainingStepSession(spec, lane, train, batches.BatchSize, initial);
        using var validator = validation.Count > 0 ? new ValidationSession(spec, lane, validation) : null;
        using var snapshot = new SnapshotSession(spec, lane);

        var runs = configs.Select(c => new HeadProgress(c)).ToArray();
        var steps = 0L;
        for (var epoch = 1; epoch <= config.Epochs && runs.Any(r => !r.Stopped); epoch++)
        {
            for (var h = 0; h < heads; h++) step.Inputs.LearningRates[h] = runs[h].Stopped ? 0 : configs[h].LearningRate;
            batches.Shuffle();
            var lossSums = new double[heads];
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
                    var losses = step.Run(++steps);
                    for (var h = 0; h < heads; h++) lossSums[h] += losses[h];
                    epochSteps++;
                }
            }
            if (epochSteps == 0) break;
            // Validation is one pass over the whole split: do not start it for a run that was just cancelled.
            cancellationToken.ThrowIfCancellationRequested();

            var (loss, accuracy) = (Enumerable.Repeat(double.NaN, heads).ToArray(), Enumerable.Repeat(double.NaN, heads).ToArray());
            HeadWeights[]? current = null;
            if (validator is not null)
                using (slices.Enter(cancellationToken))
                {
                    (loss, accuracy) = validator.Evaluate(step.Current);
                    if (runs.Where((r, h) => !r.Stopped && loss[h] < r.BestLoss).Any()) current = snapshot.Copy(step.Current);
                }
            for (var h = 0; h < heads; h++)
                if (!runs[h].Stopped) runs[h].EndEpoch(new EpochMetrics(epoch, (int)steps, lossSums[h] / epochSteps, loss[h], accuracy[h]), current?[h], validator is not null);
            // Told the epoch of the head that leads so far.
            progress?.Report(runs.MinBy(r => r.BestLoss)!.Epochs[^1]);
        }
        // No validation split, every validation loss NaN (diverged), or no epoch run: keep what the run ended with.
        if (runs.Any(r => r.Best is null))
            using (slices.Enter(CancellationToken.None))
            {
                var last = snapshot.Copy(step.Current);
                for (var h = 0; h < heads; h++) runs[h].Best ??= last[h];
            }
        return runs.Select(r => new HeadTrainingResult(r.Best!, r.Epochs, r.BestEpoch > 0 ? r.BestEpoch : r.Epochs.Count)).ToArray();
    }

    private static bool StepLimitReached(TrainingConfig config, long steps) => config.MaxSteps > 0 && steps >= config.MaxSteps;

    /// <summary>One head's epochs, best epoch so far and early stopping.</summary>
    private sealed class HeadProgress(TrainingConfig config)
    {
        public List<EpochMetrics> Epochs { get; } = [];
        public HeadWeights? Best { get; set; }
        public int BestEpoch { get; private set; }
        public double BestLoss { get; private set; } = double.PositiveInfinity;
        public bool Stopped { get; private set; }
        private int _sinceBest;

        /// <param name="weights">This epoch's weights when some head improved, else null.</param>
        public void EndEpoch(EpochMetrics metrics, HeadWeights? weights, bool validated)
        {
            Epochs.Add(metrics);
            if (!validated) return;
            if (metrics.ValidationLoss < BestLoss) (Best, BestEpoch, BestLoss, _sinceBest) = (weights, metrics.Epoch, metrics.ValidationLoss, 0);
            else if (config.EarlyStoppingPatience > 0 && ++_sinceBest >= config.EarlyStoppingPatience) Stopped = true;
        }
    }
}
