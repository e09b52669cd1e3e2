namespace TransferService.Core.Jobs;

/// <summary>Where a job is: its stage ("embedding", "training", "evaluating"), the fraction done, and for
/// training the latest epoch's numbers; for item-by-item work (extraction, embedding) items done of total, the recent
/// rate and the estimated seconds left (0 when unknown).</summary>
public sealed record JobProgress(string Stage, double Fraction, int Epoch = 0, int Step = 0, double TrainLoss = 0,
    double ValidationLoss = 0, double ValidationAccuracy = 0, long ItemsDone = 0, long ItemsTotal = 0, double ItemsPerSecond = 0,
    double EtaSeconds = 0);
