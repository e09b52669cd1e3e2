namespace TransferService.TrainingBenchmarks.Contenders;

/// <param name="Accuracy">Share of validation rows classified right, 0..1.</param>
/// <param name="Detail">What the run did that the name does not say (e.g. epochs run), or empty.</param>
internal sealed record ContenderOutcome(double Accuracy, string Detail);
