namespace TransferService.Core.Scheduling;

/// <summary>Picks a text batch whose items have similar token counts: every row is padded to the batch's longest, so a
/// short text batched with a long one pays for the long one's length.</summary>
internal static class TokenLengthGroups
{
    /// <summary>The batch for <paramref name="anchor"/> (always in it: the oldest item of the tenant next in line, so
    /// nothing waits forever) from <paramref name="candidates"/>, closest lengths first, skipping any item that would
    /// take the batch's padding fraction (padded slots / all slots) over <paramref name="maxPadding"/>.</summary>
    public static List<LaneWork> Choose(LaneWork anchor, IReadOnlyList<LaneWork> candidates, int maxBatch, double maxPadding)
    {
        var batch = new List<LaneWork>(maxBatch) { anchor };
        var (tokens, longest) = (anchor.Length, anchor.Length);
        foreach (var item in candidates.Where(c => c != anchor).OrderBy(c => Math.Abs(c.Length - anchor.Length)))
        {
            if (batch.Count == maxBatch) break;
            var longer = Math.Max(longest, item.Length);
            if (1 - (tokens + item.Length) / (double)((batch.Count + 1) * longer) > maxPadding) continue;
            batch.Add(item);
            (tokens, longest) = (tokens + item.Length, longer);
        }
        return batch;
    }

    /// <summary>Padded token slots and all token slots of a batch padded to its longest item.</summary>
    public static (long Padded, long Slots) Padding(IReadOnlyList<LaneWork> batch)
    {
        var longest = batch.Max(w => w.Length);
        long slots = (long)longest * batch.Count;
        return (slots - batch.Sum(w => (long)w.Length), slots);
    }
}
