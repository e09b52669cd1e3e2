using TransferService.Core.Backbones;
using TransferService.Core.Inputs;

namespace TransferService.Startup;

/// <summary>A small valid input per modality, run once after load so the first real request does not pay
/// for the runtime's lazy initialisation.</summary>
internal static class WarmupInputs
{
    public static EmbeddingInput For(BackboneManifest manifest) => manifest.Modality switch
    {
        Modality.Image => new RawPixelsInput(new byte[manifest.Image!.Width * manifest.Image.Height * 3],
            manifest.Image.Width, manifest.Image.Height, 3),
        Modality.Text => new TextInput("warm up"),
        _ => new TensorInput(manifest.Tensor!.Shape, new float[manifest.Tensor.ElementCount]),
    };
}
