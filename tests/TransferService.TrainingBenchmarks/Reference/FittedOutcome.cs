using TransferService.Core.Heads;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>The default head's test accuracy and macro-F1, and the setting its search chose.</summary>
internal sealed record FittedOutcome(double Accuracy, double MacroF1, TrainingConfig Chosen);
