namespace TransferService.Core.Heads;

/// <summary>How good a head is, measured on its validation split after training and calibration.
/// Per-class arrays and the confusion matrix (rows: true label, columns: predicted) follow the head's labels.
/// Calibration: expected calibration error before and after temperature scaling and the reliability table after;
/// <see cref="Warnings"/> say why the numbers should not be trusted (too few validation rows), empty when they can.</summary>
public sealed record HeadEvaluation(
    double Accuracy,
    double MacroF1,
    double[] Precision,
    double[] Recall,
    int[][] Confusion,
    double ValidationLoss,
    double CalibratedValidationLoss,
    int TrainCount,
    int ValidationCount,
    int BestEpoch,
    IReadOnlyList<EpochMetrics> Epochs)
{
    public double ExpectedCalibrationError { get; init; } = double.NaN;
    public double CalibratedExpectedCalibrationError { get; init; } = double.NaN;
    public IReadOnlyList<ReliabilityBin> Reliability { get; init; } = [];
    public string[] Warnings { get; init; } = [];
}
