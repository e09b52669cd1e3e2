using TransferService.Core.Backbones;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Sessions;

/// <summary>The batch sizes a backbone runs at when each size has a session of its own: 1, then powers of two from 8,
/// up to the largest run (always one of them). A run of N items is padded with rows of zeros up to the first size ≥ N.
/// Why sessions per size: ONNX Runtime's CUDA convolutions (cuDNN 9's frontend) keep the plan of the last input shape
/// they ran and rebuild every plan, on the host, whenever the shape changes; a batcher whose batch sizes vary rebuilt
/// them on nearly every batch. A session that only ever sees one shape builds them once. Small sizes share few sessions
/// because a GPU takes about as long for 8 rows as for 2; past 8 a run is padded by less than it holds.</summary>
internal static class BatchShapes
{
    /// <summary>The one "size" of a backbone that runs a single session taking any batch size.</summary>
    public const int AnySize = 0;

    private const int FirstPowerOfTwo = 8;

    /// <summary>The batch sizes of the backbone's sessions on the lane (runs of at most <paramref name="itemsPerRun"/>):
    /// one per size for fixed-shape inputs where <see cref="LaneOptions.SessionPerBatchSize"/> says so (by default on a
    /// CUDA lane), else <see cref="AnySize"/> alone.</summary>
    public static int[] Of(BackboneManifest manifest, DeviceLane lane, int itemsPerRun) =>
        manifest.Modality != Modality.Text && (lane.Options.SessionPerBatchSize ?? lane.UsesCuda) ? For(itemsPerRun) : [AnySize];

    public static int[] For(int largest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(largest, 1);
        var sizes = new SortedSet<int> { 1, largest };
        for (var size = FirstPowerOfTwo; size < largest; size *= 2) sizes.Add(size);
        return [.. sizes];
    }

    /// <summary>The index of the smallest of <paramref name="sizes"/> (ascending) that holds <paramref name="count"/>.</summary>
    public static int Fit(int[] sizes, int count)
    {
        var index = Array.BinarySearch(sizes, count);
        return index >= 0 ? index : ~index;
    }
}
