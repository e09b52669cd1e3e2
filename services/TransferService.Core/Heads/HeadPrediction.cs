namespace TransferService.Core.Heads;

/// <summary>One head's calibrated probabilities for a batch, [count × head.Labels.Length] row-major, and per input
/// its familiarity (null when the head has no neighbour index) and nearest training examples (empty when none
/// were asked for or the head has no index).</summary>
public sealed record HeadPrediction(HeadRecord Head, float[] Probabilities, float[]? Familiarity, NearestExample[][] Nearest)
{
    /// <summary>Whether input <paramref name="input"/> lies outside what the head was trained on: its familiarity is
    /// under the head's threshold. False when familiarity is unavailable.</summary>
    public bool Abstains(int input) => Familiarity is not null && Head.FamiliarityThreshold is { } threshold && Familiarity[input] < threshold;
}
