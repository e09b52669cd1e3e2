namespace TransferService.Core.Heads;

/// <summary>Trains a head on embeddings, on one device lane (in ONNX Runtime in production).</summary>
public interface IHeadTrainer
{
    /// <param name="classes">Number of classes C; labels are 0..C-1.</param>
    /// <param name="progress">Told after every epoch.</param>
    HeadTrainingResult Train(TrainingData train, TrainingData validation, int classes, TrainingConfig config, string lane,
        IProgress<EpochMetrics>? progress, CancellationToken cancellationToken);
}
