namespace TransferService.Core.Heads;

/// <summary>Which training configs can run together as heads side by side.</summary>
public static class TrainingConfigs
{
    /// <summary>True when both are linear and differ at most in learning rate and weight decay: they then see the
    /// same initial draw order, batches and stopping rule, and only their own parameters.</summary>
    public static bool Stackable(TrainingConfig config, TrainingConfig other) =>
        config.Architecture == HeadArchitecture.Linear && other.Architecture == HeadArchitecture.Linear
        && config with { LearningRate = other.LearningRate, WeightDecay = other.WeightDecay, HiddenSizes = other.HiddenSizes, Dropout = other.Dropout } == other;
}
