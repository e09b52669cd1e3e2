namespace TransferService.Onnx.Sessions;

/// <summary>The batch sizes a session runs fixed-shape inputs at: powers of two up to 32, then every multiple of 32,
/// up to the largest run (which is always one). A run of N items is padded up to the first size ≥ N, so a session
/// whose batches take every size from 1 to 256 sees 13 shapes instead of 256; a run pads fewer rows than it holds,
/// and past 32 items fewer than 32.</summary>
internal sealed class BatchBuckets
{
    private const int Step = 32;
    private readonly int[] _sizes;

    public BatchBuckets(int largest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(largest, 1);
        var sizes = new SortedSet<int> { largest };
        for (var size = 1; size < Math.Min(Step, largest); size *= 2) sizes.Add(size);
        for (var size = Step; size < largest; size += Step) sizes.Add(size);
        _sizes = [.. sizes];
    }

    public IReadOnlyList<int> Sizes => _sizes;

    /// <summary>The smallest bucket that holds <paramref name="count"/> items (1 ≤ count ≤ the largest).</summary>
    public int Fit(int count)
    {
        var index = Array.BinarySearch(_sizes, count);
        return _sizes[index >= 0 ? index : ~index];
    }
}
