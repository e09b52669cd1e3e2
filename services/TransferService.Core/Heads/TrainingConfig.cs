namespace TransferService.Core.Heads;

/// <summary>Hyperparameters of one head training run. Defaults train a good linear head on most embeddings.</summary>
public sealed record TrainingConfig
{
    public HeadArchitecture Architecture { get; init; } = HeadArchitecture.Linear;
    /// <summary>Hidden layer sizes of an MLP head; ignored for a linear head.</summary>
    public int[] HiddenSizes { get; init; } = [256];
    /// <summary>Dropout probability after each hidden ReLU, in training only.</summary>
    public float Dropout { get; init; }
    public int Epochs { get; init; } = 50;
    /// <summary>Stop after this many optimizer steps; 0: the epochs decide.</summary>
    public int MaxSteps { get; init; }
    public int BatchSize { get; init; } = 64;
    public float LearningRate { get; init; } = 1e-3f;
    public float WeightDecay { get; init; } = 1e-4f;
    public float LabelSmoothing { get; init; }
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.None;
    /// <summary>Share of each label held out for validation (stratified), when no validation dataset is given.</summary>
    public float ValidationFraction { get; init; } = 0.2f;
    /// <summary>Stop when validation loss has not improved for this many epochs; 0: never.</summary>
    public int EarlyStoppingPatience { get; init; }
    public int Seed { get; init; }
}
