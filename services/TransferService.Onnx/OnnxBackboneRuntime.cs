using TransferService.Core.Backbones;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Preprocessing;
using TransferService.Onnx.Sessions;

namespace TransferService.Onnx;

/// <summary>Core's <see cref="IBackboneRuntime"/> on ONNX Runtime: preparers per modality, one session per lane.
/// Model files over <paramref name="maxModelBytes"/> are refused before ONNX Runtime reads them.</summary>
public sealed class OnnxBackboneRuntime(DeviceLaneSet lanes, long maxModelBytes) : IBackboneRuntime
{
    public IReadOnlyList<string> Lanes { get; } = lanes.Lanes.Select(l => l.Name).ToArray();

    public IInputPreparer CreatePreparer(BackboneManifest manifest, string folder) => manifest.Modality switch
    {
        Modality.Image => new ImagePreparer(manifest.Image!),
        Modality.Text => new TextPreparer(manifest.Text!, folder),
        _ => new TensorPreparer(manifest.Tensor!),
    };

    /// <summary>The most sessions one copy holds on any lane, taking the manifest's batch size for the model's (a model
    /// whose own batch is smaller holds fewer: the estimate errs high).</summary>
    public int WeightCopies(BackboneManifest manifest) =>
        lanes.Lanes.Max(lane => BatchShapes.Of(manifest, lane, lane.Options.RunSize(manifest.MaxBatchSize)).Length);

    public IBackboneSession CreateSession(BackboneManifest manifest, string folder, string lane) =>
        new OnnxBackboneSession(manifest, folder, lanes[lane], maxModelBytes);
}
