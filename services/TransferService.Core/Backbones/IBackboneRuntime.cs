namespace TransferService.Core.Backbones;

/// <summary>What Core needs from the execution runtime (ONNX Runtime in production).</summary>
public interface IBackboneRuntime
{
    /// <summary>The configured device lanes, e.g. "cuda:0", "cpu".</summary>
    IReadOnlyList<string> Lanes { get; }

    IInputPreparer CreatePreparer(BackboneManifest manifest, string folder);

    /// <summary>Loads the model on a lane; the caller owns the returned session.</summary>
    IBackboneSession CreateSession(BackboneManifest manifest, string folder, string lane);
}
