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

    public IBackboneSession CreateSession(BackboneManifest manifest, string folder, string lane) =>
        new OnnxBackboneSession(manifest, folder, lanes[lane], maxModelBytes);
}
