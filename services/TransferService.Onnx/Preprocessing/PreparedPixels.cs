using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>One image decoded, alpha-composited and resized to the model's size, as 8-bit RGBA rows (height ×
/// width × 4, alpha opaque): a quarter of the bytes of the float planes the model takes. Normalisation happens
/// later, in the model's graph or, on the host path, in <see cref="ImagePlanes"/>.</summary>
internal sealed class PreparedPixels : PreparedInput
{
    public const int Channels = 4;

    public PreparedPixels(byte[] rgba)
    {
        Rgba = rgba;
        Bytes = rgba.LongLength;
    }

    public byte[] Rgba { get; }
}
