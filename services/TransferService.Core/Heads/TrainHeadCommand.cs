namespace TransferService.Core.Heads;

/// <summary>What a caller asks to train: the caller's tenant (which owns the job), a head name (a new version of
/// it is made), the backbone, the training dataset, optionally an explicit validation dataset, and the hyperparameters.</summary>
public sealed record TrainHeadCommand(string Tenant, string HeadName, string Backbone, string DatasetId, string? ValidationDatasetId, TrainingConfig Config);
