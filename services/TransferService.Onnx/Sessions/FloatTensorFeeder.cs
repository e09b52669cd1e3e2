using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Sessions;

/// <summary>Feeds float32 items (image planes, user tensors) through one reusable pinned buffer.</summary>
internal sealed class FloatTensorFeeder : IBatchFeeder
{
    private readonly string _inputName;
    private readonly long[] _itemShape;
    private readonly int _itemSize;
    private readonly float[] _buffer;
    private OrtValue? _value;

    public FloatTensorFeeder(string inputName, long[] itemShape, int maxBatchSize)
    {
        _inputName = inputName;
        _itemShape = itemShape;
        _itemSize = checked((int)itemShape.Aggregate(1L, (a, d) => a * d));
        _buffer = GC.AllocateUninitializedArray<float>(checked(_itemSize * maxBatchSize), pinned: true);
    }

    public ReadOnlySpan<long> Mask => [];

    public void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count)
    {
        for (var i = 0; i < count; i++)
            ((PreparedFloats)batch[start + i]).Values.CopyTo(_buffer.AsSpan(i * _itemSize, _itemSize));
        long[] shape = [count, .. _itemShape];
        _value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _buffer.AsMemory(0, count * _itemSize), shape);
        binding.BindInput(_inputName, _value);
    }

    public void Release()
    {
        _value?.Dispose();
        _value = null;
    }

    public void Dispose() => Release();
}
