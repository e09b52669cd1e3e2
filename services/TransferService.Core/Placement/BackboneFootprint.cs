using TransferService.Core.Backbones;

namespace TransferService.Core.Placement;

/// <summary>Estimates the memory one copy of a backbone holds on a lane before loading it, from the only size known
/// then: the model file. ONNX Runtime holds the weights (about the file's size), optimised or pre-packed copies of
/// some of them, and an arena for activations that grows with the batch; the factor stands for all of that. It is a
/// coarse estimate, not a measurement: budgets should leave headroom.</summary>
public static class BackboneFootprint
{
    public static long Estimate(string folder, BackboneManifest manifest, double factor)
    {
        var model = BackboneFile.Resolve(folder, manifest.Model, "model", long.MaxValue);
        return (long)Math.Ceiling(new FileInfo(model).Length * factor);
    }
}
