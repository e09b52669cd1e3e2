using TransferService.Core.Scheduling;

namespace TransferService.Core.Heads;

/// <summary>Trains heads on embeddings and scores with them, on a device lane (ONNX Runtime in production).</summary>
public interface IHeadRuntime
{
    /// <param name="classes">Number of classes C; labels are 0..C-1.</param>
    /// <param name="tag">Whose work the training is: it runs on the lane in slices of steps, each queued on the lane's
    /// scheduler as this tag's work.</param>
    /// <param name="progress">Told after every epoch.</param>
    HeadTrainingResult Train(TrainingData train, TrainingData validation, int classes, TrainingConfig config, string lane, WorkTag tag,
        IProgress<EpochMetrics>? progress, CancellationToken cancellationToken);

    /// <summary>Trains several configs on the same split and returns their results in order. A runtime may train
    /// configs that <see cref="TrainingConfigs.Stackable"/> allows together, for about the price of one; the results are
    /// those of separate runs on the same batches.</summary>
    IReadOnlyList<HeadTrainingResult> TrainTogether(TrainingData train, TrainingData validation, int classes, IReadOnlyList<TrainingConfig> configs,
        string lane, WorkTag tag, IProgress<EpochMetrics>? progress, CancellationToken cancellationToken) =>
        configs.Select(c => Train(train, validation, classes, c, lane, tag, progress, cancellationToken)).ToArray();

    /// <summary>A scorer for <paramref name="weights"/> on <paramref name="lane"/>; the caller owns it.</summary>
    IHeadScorer CreateScorer(HeadWeights weights, float temperature, string lane);
}
