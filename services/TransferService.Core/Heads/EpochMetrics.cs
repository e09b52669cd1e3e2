namespace TransferService.Core.Heads;

/// <summary>Mean training loss over the epoch's steps, and loss and accuracy on the validation split.</summary>
public sealed record EpochMetrics(int Epoch, int Step, double TrainLoss, double ValidationLoss, double ValidationAccuracy);
