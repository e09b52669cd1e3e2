namespace TransferService.Core.Scheduling;

/// <summary>What a bigger batch gains on this device, per source: the recent device time per item (per token slot for
/// text, which is padded to its longest row) of batches of 1, 2–3, 4–7, … items, and from it the largest batch worth
/// forming. On a GPU per-item time falls with the batch; on a few CPU cores it may not (minilm on two cores: batch 1 runs
/// 150 texts/s, batch 32 120), and there a smaller batch is both faster and sooner. A size class counts at the fastest
/// of its last few batches, not at their average: a run can be slow for reasons of its own (a busy moment of the host;
/// on a GPU, before each image batch size had a session of its own, every run whose size differed from the last one's
/// while the convolutions rebuilt their plans), and one such run averaged in made a bigger batch look slower per item
/// for hundreds of batches (on an H200 with ResNet-18, batches of 1.1 items with 64 callers queued). A device where a
/// bigger batch really is slower shows it in every run, so the fastest still says so. Not thread-safe: the lane's lock
/// guards it.</summary>
internal sealed class BatchGains(int maxBatchSize)
{
    /// <summary>Batches of a size class remembered; the class counts at the fastest of them.</summary>
    private const int Recent = 8;
    /// <summary>A bigger batch counts as no slower unless its time per item is this much worse: ties go to the bigger
    /// batch, so noise does not shrink batches on a device where size is free.</summary>
    private const double Tolerance = 1.05;
    /// <summary>Every this many batches the next size up may run once more, so a measurement taken on a busy moment
    /// does not cap a source for good.</summary>
    private const int ProbeEvery = 16;

    private readonly double[][] _recentSecondsPerSlot = Enumerable.Range(0, Bucket(maxBatchSize) + 1).Select(_ => new double[Recent]).ToArray();
    private readonly long[] _ran = new long[Bucket(maxBatchSize) + 1];
    private long _batches;

    /// <summary>Records one batch of <paramref name="items"/> items, padded to <paramref name="longest"/> tokens (0: not
    /// text), that held the lane for <paramref name="seconds"/>.</summary>
    public void Ran(int items, int longest, double seconds)
    {
        var size = Bucket(items);
        _recentSecondsPerSlot[size][(int)(_ran[size]++ % Recent)] = seconds / (items * (double)Math.Max(1, longest));
        _batches++;
    }

    /// <summary>The most items the next batch should hold: up to the end of the fastest measured size class (ties to the
    /// bigger), or into the next class up while that one is unmeasured (and now and then to measure it again).</summary>
    public int Cap
    {
        get
        {
            var secondsPerSlot = _recentSecondsPerSlot.Select((recent, size) => _ran[size] == 0 ? double.NaN : recent.Take((int)Math.Min(_ran[size], Recent)).Min()).ToArray();
            var fastest = secondsPerSlot.Where(s => !double.IsNaN(s)).DefaultIfEmpty(double.NaN).Min();
            if (double.IsNaN(fastest)) return maxBatchSize;
            var best = Array.FindLastIndex(secondsPerSlot, s => s <= Tolerance * fastest);
            var next = best + 1;
            var probe = next < secondsPerSlot.Length && (double.IsNaN(secondsPerSlot[next]) || _batches % ProbeEvery == 0);
            return Math.Min(maxBatchSize, probe ? 1 << next : (1 << next) - 1);
        }
    }

    private static int Bucket(int items) => 31 - int.LeadingZeroCount(Math.Max(1, items));
}
