namespace TransferService.Core.Heads;

/// <summary>Which training configs can run together as heads side by side.</summary>
public static class TrainingConfigs
{
    /// <summary>True when both are linear and differ at most in learning rate and weight decay: they then see the
    /// same initial draw order, batches and stopping rule, and only their own parameters.</summary>
    public static bool Stackable(TrainingConfig config, TrainingConfig other) =>
        config.Architecture == HeadArchitecture.Linear && other.Architecture == HeadArchitecture.Linear
        && config with { LearningRate = other.LearningRate, WeightDecay = other.WeightDecay, HiddenSizes = other.HiddenSizes, Dropout = other.Dropout } == other;

    /// <summary>The candidates' indices grouped into runs: each group's configs are <see cref="Stackable"/> with its
    /// first, and train side by side; a config stackable with none trains alone. Groups keep the candidates' order.</summary>
    public static List<List<int>> StackGroups(IReadOnlyList<TrainingConfig> candidates)
    {
        var groups = new List<List<int>>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (groups.FirstOrDefault(g => Stackable(candidates[g[0]], candidates[i])) is { } group) group.Add(i);
            else groups.Add([i]);
        }
        return groups;
    }
}
