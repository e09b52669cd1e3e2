namespace TransferService.Core.Scheduling;

/// <summary>What a bigger batch gains on this device, per source: the recent device time per item (per token slot for
/// text, which is padded to its longest row) of batches of 1, 2–3, 4–7, … items, and from it the largest batch worth
/// forming. On a GPU per-item time falls with the batch; on a few CPU cores it may not (minilm on two cores: batch 1 runs
/// 150 texts/s, batch 32 120), and there a smaller batch is both faster and sooner. Not thread-safe: the lane's lock
/// guards it.</summary>
internal sealed class BatchGains(int maxBatchSize)
{
    private const double Weight = 0.25;
    /// <summary>A bigger batch counts as no slower unless its time per item is this much worse: ties go to the bigger
    /// batch, so noise does not shrink batches on a device where size is free.</summary>
    private const double Tolerance = 1.05;
    /// <summary>Every this many batches the next size up may run once more, so a measurement taken on a busy moment
    /// does not cap a source for good.</summary>
    private const int ProbeEvery = 16;

    private readonly double[] _secondsPerSlot = Enumerable.Repeat(double.NaN, Bucket(maxBatchSize) + 1).ToArray();
    private long _batches;

    /// <summary>Records one batch of <paramref name="items"/> items, padded to <paramref name="longest"/> tokens (0: not
    /// text), that held the lane for <paramref name="seconds"/>.</summary>
    public void Ran(int items, int longest, double seconds)
    {
        var perSlot = seconds / (items * (double)Math.Max(1, longest));
        ref var recent = ref _secondsPerSlot[Bucket(items)];
        recent = double.IsNaN(recent) ? perSlot : (1 - Weight) * recent + Weight * perSlot;
        _batches++;
    }

    /// <summary>The most items the next batch should hold: up to the end of the fastest measured size class (ties to the
    /// bigger), or into the next class up while that one is unmeasured (and now and then to measure it again).</summary>
    public int Cap
    {
        get
        {
            var fastest = _secondsPerSlot.Where(s => !double.IsNaN(s)).DefaultIfEmpty(double.NaN).Min();
            if (double.IsNaN(fastest)) return maxBatchSize;
            var best = Array.FindLastIndex(_secondsPerSlot, s => s <= Tolerance * fastest);
            var next = best + 1;
            var probe = next < _secondsPerSlot.Length && (double.IsNaN(_secondsPerSlot[next]) || _batches % ProbeEvery == 0);
            return Math.Min(maxBatchSize, probe ? 1 << next : (1 << next) - 1);
        }
    }

    private static int Bucket(int items) => 31 - int.LeadingZeroCount(Math.Max(1, items));
}
