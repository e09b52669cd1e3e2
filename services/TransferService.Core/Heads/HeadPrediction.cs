namespace TransferService.Core.Heads;

/// <summary>One head's calibrated probabilities for a batch, [count × head.Labels.Length] row-major.</summary>
public sealed record HeadPrediction(HeadRecord Head, float[] Probabilities);
