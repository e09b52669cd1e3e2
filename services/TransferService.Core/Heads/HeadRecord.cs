namespace TransferService.Core.Heads;

/// <summary>One immutable head version as stored: what it was trained on and how, how good it is, and its
/// weights. <see cref="Temperature"/> calibrates its probabilities: softmax(logits / T).</summary>
public sealed record HeadRecord
{
    public required string Name { get; init; }
    public required int Version { get; init; }
    public required string Backbone { get; init; }
    public required string BackboneVersion { get; init; }
    public required string[] Labels { get; init; }
    public required string DatasetId { get; init; }
    public string? ValidationDatasetId { get; init; }
    /// <summary>The config the stored weights were trained with; after a search, the chosen candidate with the refit's epochs.</summary>
    public required TrainingConfig Config { get; init; }
    /// <summary>How <see cref="Config"/> was chosen; null when the request gave one config.</summary>
    public HeadSearch? Search { get; init; }
    public required HeadEvaluation Evaluation { get; init; }
    public required float Temperature { get; init; }
    public required HeadWeights Weights { get; init; }
    /// <summary>Inputs whose familiarity (see <see cref="NeighbourIndex"/>) is below this are flagged to abstain: the
    /// 5th percentile of the training examples' own familiarity, each scored held out. Null for heads trained before
    /// familiarity existed (they have no neighbour index).</summary>
    public float? FamiliarityThreshold { get; init; }
    public required DateTimeOffset Created { get; init; }
    /// <summary>The job that trained it: a job stores at most one version, however many times it runs (see
    /// <see cref="HeadStore.Add"/>). Null for heads stored before jobs were durable.</summary>
    public string? JobId { get; init; }
}
