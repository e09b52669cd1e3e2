namespace TransferService.Core.Heads;

/// <summary>Everything a training job stores for a new head version, before it is stored: the chosen run and weights,
/// the evaluation with its calibration, and the neighbour index with its familiarity threshold.</summary>
public sealed record FittedHead(HeadSearchResult Result, HeadEvaluation Evaluation, float Temperature, NeighbourIndex Neighbours, float FamiliarityThreshold);
