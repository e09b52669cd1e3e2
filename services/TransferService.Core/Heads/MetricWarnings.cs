namespace TransferService.Core.Heads;

/// <summary>Why a head's stored metrics should not be trusted: too few validation rows per label make accuracy,
/// F1 and the fitted temperature swing by many points from one example to the next.</summary>
public static class MetricWarnings
{
    /// <summary>Fewest validation rows of a label for its metrics to count as measured (one row is then ≤ 10 points of its recall).</summary>
    public const int MinValidationPerLabel = 10;

    public static string[] For(int[] validationLabels, string[] labels)
    {
        if (validationLabels.Length == 0)
            return ["nothing was held out for validation (every label has a single example): the head is unmeasured and its probabilities are not calibrated"];
        var counts = new int[labels.Length];
        foreach (var label in validationLabels) counts[label]++;
        var thin = labels.Select((label, i) => (label, count: counts[i])).Where(l => l.count < MinValidationPerLabel).ToArray();
        if (thin.Length == 0) return [];
        return [$"metrics are unreliable: {string.Join(", ", thin.Select(l => $"'{l.label}' has {l.count}"))} validation example(s), " +
            $"fewer than {MinValidationPerLabel} per label; accuracy, F1 and calibration measured on so few can move by many points. " +
            "Add examples or pass a larger validation_dataset_id"];
    }
}
