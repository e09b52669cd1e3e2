namespace TransferService.Core.Heads;

/// <summary>One setting tried by a search, trained on the training split and scored on the validation rows at its best
/// epoch (lowest validation loss): the loss ranks the candidates, the accuracy is shown alongside.</summary>
public sealed record SearchCandidate(TrainingConfig Config, int BestEpoch, double ValidationLoss, double ValidationAccuracy);
