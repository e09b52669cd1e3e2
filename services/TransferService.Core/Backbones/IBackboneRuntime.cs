namespace TransferService.Core.Backbones;

/// <summary>What Core needs from the execution runtime (ONNX Runtime in production).</summary>
public interface IBackboneRuntime
{
    /// <summary>The configured device lanes, e.g. "cuda:0", "cpu".</summary>
    IReadOnlyList<string> Lanes { get; }

    IInputPreparer CreatePreparer(BackboneManifest manifest, string folder);

    /// <summary>How many copies of its weights one loaded copy of the backbone holds on a lane (the most over the
    /// lanes): ONNX Runtime on a CUDA lane runs an image backbone as one session per batch size. The footprint
    /// estimate counts each.</summary>
    int WeightCopies(BackboneManifest manifest) => 1;

    /// <summary>Loads the model on a lane; the caller owns the returned session.</summary>
    IBackboneSession CreateSession(BackboneManifest manifest, string folder, string lane);
}
