namespace TransferService.Core.Heads;

/// <summary>The weights of the best epoch (lowest validation loss) and every epoch's metrics.</summary>
public sealed record HeadTrainingResult(HeadWeights Weights, IReadOnlyList<EpochMetrics> Epochs, int BestEpoch);
