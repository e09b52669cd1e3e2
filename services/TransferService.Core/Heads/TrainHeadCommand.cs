namespace TransferService.Core.Heads;

/// <summary>What a caller asks to train: a head name (a new version of it is made), the backbone, the
/// training dataset, optionally an explicit validation dataset, and the hyperparameters.</summary>
public sealed record TrainHeadCommand(string HeadName, string Backbone, string DatasetId, string? ValidationDatasetId, TrainingConfig Config);
