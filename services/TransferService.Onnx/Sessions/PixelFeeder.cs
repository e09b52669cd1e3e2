using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Graphs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Sessions;

/// <summary>In-graph data path: writes each image's 8-bit rows, as RGBA, into one pinned buffer, bound as
/// <see cref="ServingGraph.PixelsInput"/> [N,H,W,4] uint8 — a quarter of the bytes of float planes.</summary>
internal sealed class PixelFeeder(ImageSpec spec, int maxBatchSize) : IBatchFeeder
{
    private readonly int _itemSize = spec.Width * spec.Height * PreparedPixels.Channels;
    private readonly PinnedInput<byte> _input = new(ServingGraph.PixelsInput, spec.Width * spec.Height * PreparedPixels.Channels * maxBatchSize);

    public ReadOnlySpan<long> Mask => [];

    public void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count, int rows)
    {
        for (var i = 0; i < count; i++)
            ((PreparedPixels)batch[start + i]).CopyRgbaTo(_input.Buffer.AsSpan(i * _itemSize, _itemSize));
        _input.Bind(binding, [rows, spec.Height, spec.Width, PreparedPixels.Channels], filled: count * _itemSize);
    }

    public void Release() => _input.Release();

    public void Dispose() => _input.Dispose();
}
