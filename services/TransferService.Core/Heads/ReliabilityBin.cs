namespace TransferService.Core.Heads;

/// <summary>Validation rows whose top probability lies in [Lower, Upper): how many, their mean top probability,
/// and the share of them predicted right. A calibrated head has MeanConfidence ≈ Accuracy in every bin.</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);
