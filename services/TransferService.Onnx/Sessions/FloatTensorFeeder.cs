using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Sessions;

/// <summary>Feeds float32 items (user tensors) through one reusable pinned buffer.</summary>
internal sealed class FloatTensorFeeder(string inputName, long[] itemShape, int maxBatchSize) : IBatchFeeder
{
    private readonly int _itemSize = checked((int)itemShape.Aggregate(1L, (a, d) => a * d));
    private readonly PinnedInput<float> _input = new(inputName, checked((int)itemShape.Aggregate(1L, (a, d) => a * d) * maxBatchSize));

    public ReadOnlySpan<long> Mask => [];

    public void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count, int rows)
    {
        for (var i = 0; i < count; i++)
            ((PreparedFloats)batch[start + i]).Values.CopyTo(_input.Buffer.AsSpan(i * _itemSize, _itemSize));
        _input.Bind(binding, [rows, .. itemShape], filled: count * _itemSize);
    }

    public void Release() => _input.Release();

    public void Dispose() => _input.Dispose();
}
