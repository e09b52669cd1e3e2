namespace TransferService.Core.Heads;

/// <summary>How good a head is, measured on its validation split after training and calibration.
/// Per-class arrays and the confusion matrix (rows: true label, columns: predicted) follow the head's labels.</summary>
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
    IReadOnlyList<EpochMetrics> Epochs);
