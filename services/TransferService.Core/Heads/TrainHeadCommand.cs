using TransferService.Core.Scheduling;

namespace TransferService.Core.Heads;

/// <summary>What a caller asks to train: a head name (a new version of it is made), the backbone, the
/// training dataset, optionally an explicit validation dataset, and the hyperparameters: one <paramref name="Config"/>
/// trained as given, or <paramref name="Candidates"/> to search, or neither for the server's default search. Datasets
/// are read from, and the head stored in, <paramref name="Tenant"/>'s stores; the tenant also owns the job, which runs in <paramref name="Priority"/>'s class; a second command with the same
/// <paramref name="IdempotencyKey"/> returns the first one's job. Stored as the job's payload (JSON).</summary>
public sealed record TrainHeadCommand(string Tenant, string HeadName, string Backbone, string DatasetId, string? ValidationDatasetId,
    TrainingConfig? Config, IReadOnlyList<TrainingConfig>? Candidates = null, Priority Priority = Priority.Normal, string? IdempotencyKey = null);
