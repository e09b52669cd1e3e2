namespace TransferService.Core.Heads;

/// <summary>A finished plan: the chosen candidate's run on the training split (its epochs and the weights the
/// evaluation measures), the weights to store (the refit, or the chosen run's own), the config they were trained
/// with, and the search record (null for a single explicit config).</summary>
public sealed record HeadSearchResult(HeadTrainingResult Chosen, HeadWeights Weights, TrainingConfig Config, HeadSearch? Search);
