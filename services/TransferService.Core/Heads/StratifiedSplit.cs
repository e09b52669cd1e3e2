namespace TransferService.Core.Heads;

/// <summary>Splits row indices into train and validation so that each label keeps the same share in both
/// (at least one validation row per label that has two or more rows). Deterministic for a seed.</summary>
public static class StratifiedSplit
{
    /// <summary>Rows of a label with <paramref name="count"/> rows that go to validation.</summary>
    public static int HeldOut(int count, float validationFraction) =>
        count < 2 ? 0 : Math.Clamp((int)Math.Round(count * validationFraction, MidpointRounding.AwayFromZero), 1, count);

    public static (int[] Train, int[] Validation) Split(int[] labels, float validationFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            var held = HeldOut(rows.Length, validationFraction);
            validation.AddRange(rows[..held]);
            train.AddRange(rows[held..]);
        }
        return (train.Order().ToArray(), validation.Order().ToArray());
    }
}
