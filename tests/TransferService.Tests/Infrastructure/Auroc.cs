namespace TransferService.Tests.Infrastructure;

/// <summary>Area under the ROC curve of a score separating two groups: the chance that a random member of
/// <c>higher</c> scores above a random member of <c>lower</c> (ties count half).</summary>
public static class Auroc
{
    public static double Of(IReadOnlyList<float> higher, IReadOnlyList<float> lower)
    {
        double wins = 0;
        foreach (var h in higher)
            foreach (var l in lower)
                wins += h > l ? 1 : h == l ? 0.5 : 0;
        return wins / ((double)higher.Count * lower.Count);
    }
}
