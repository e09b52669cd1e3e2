using TransferService.Core.Heads;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Training;

/// <summary>Trains heads and scores with them inside ONNX Runtime, on the lane's execution provider, with generated
/// graphs (the ORT training package is no longer shipped). Training runs synchronously on the calling thread, in slices
/// that the lane's scheduler grants; scoring waits for its turn there too. Dropout masks are drawn on the host from the run's seeded generator and passed
/// in, so a seed gives the same weights every time on the same lane.</summary>
public sealed class OnnxHeadRuntime(DeviceLaneSet lanes, LaneSchedulers schedulers) : IHeadRuntime
{
    /// <inheritdoc/>
    /// <remarks>Epochs in the metrics and <see cref="HeadTrainingResult.BestEpoch"/> count from 1. With an empty
    /// validation split the metrics are NaN and the last epoch's weights are returned. Cancellation is checked
    /// between steps and surfaces as <see cref="OperationCanceledException"/>.</remarks>
    public HeadTrainingResult Train(TrainingData train, TrainingData validation, int classes, TrainingConfig config, string lane, WorkTag tag,
        IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        TrainingDataShape.Check(train, validation, classes, config);
        return HeadTrainingRun.Execute(train, validation, classes, [config], lanes[lane], new LaneSlices(schedulers[lane], tag), progress, cancellationToken)[0];
    }

    /// <inheritdoc/>
    /// <remarks>Linear configs that differ only in learning rate and weight decay train as one run of heads side by side;
    /// any other list trains one config after another.</remarks>
    public IReadOnlyList<HeadTrainingResult> TrainTogether(TrainingData train, TrainingData validation, int classes, IReadOnlyList<TrainingConfig> configs,
        string lane, WorkTag tag, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken)
    {
        foreach (var config in configs) TrainingDataShape.Check(train, validation, classes, config);
        if (configs.Count < 2 || !configs.All(c => TrainingConfigs.Stackable(c, configs[0])))
            return configs.Select(c => Train(train, validation, classes, c, lane, tag, progress, cancellationToken)).ToArray();
        return HeadTrainingRun.Execute(train, validation, classes, configs, lanes[lane], new LaneSlices(schedulers[lane], tag), progress, cancellationToken);
    }

    /// <inheritdoc/>
    public IHeadScorer CreateScorer(HeadWeights weights, float temperature, string lane) =>
        new OnnxHeadScorer(weights, temperature, lanes[lane], schedulers[lane]);
}
