using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Sessions;

/// <summary>Host data path: normalises each image's RGBA rows into float32 planes (<see cref="ImagePlanes"/>) in one
/// pinned buffer, bound as the model's own image input [N,3,H,W].</summary>
internal sealed class ImagePlaneFeeder(ImageSpec spec, int maxBatchSize) : IBatchFeeder
{
    private readonly int _itemSize = 3 * spec.Width * spec.Height;
    private readonly PinnedInput<float> _input = new(spec.Input, 3 * spec.Width * spec.Height * maxBatchSize);

    public ReadOnlySpan<long> Mask => [];

    public void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count, int rows)
    {
        for (var i = 0; i < count; i++)
            ImagePlanes.Write(spec, (PreparedPixels)batch[start + i], _input.Buffer.AsSpan(i * _itemSize, _itemSize));
        _input.Bind(binding, [rows, 3, spec.Height, spec.Width], filled: count * _itemSize);
    }

    public void Release() => _input.Release();

    public void Dispose() => _input.Dispose();
}
