namespace TransferService.Core.Heads;

/// <summary>What a TrainHead job trains: one explicit config (<see cref="Search"/> false), the caller's candidates, or the
/// server's default grid. The first candidate's validation fraction and seed cut the one split every candidate is
/// ranked on.</summary>
public sealed record TrainingPlan(IReadOnlyList<TrainingConfig> Candidates, bool Search, bool DefaultGrid)
{
    /// <summary>Most candidates one request may list: each is a full training run.</summary>
    public const int MaxCandidates = 32;

    public TrainingConfig First => Candidates[0];
}
