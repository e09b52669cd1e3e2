namespace TransferService.Core.Jobs;

/// <summary>Where a job is: its stage ("embedding", "training", "evaluating"), the fraction done, and for
/// training the latest epoch's numbers.</summary>
public sealed record JobProgress(string Stage, double Fraction, int Epoch = 0, int Step = 0, double TrainLoss = 0,
    double ValidationLoss = 0, double ValidationAccuracy = 0);
