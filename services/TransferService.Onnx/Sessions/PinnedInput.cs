using Microsoft.ML.OnnxRuntime;

namespace TransferService.Onnx.Sessions;

/// <summary>One model input's pinned host buffer, sized for the largest run, and the OrtValue over it while a run
/// holds it bound. Owns both; <see cref="Release"/> ends the value, the buffer lives as long as this.</summary>
internal sealed class PinnedInput<T>(string name, int capacity) : IDisposable where T : unmanaged
{
    private OrtValue? _value;

    public T[] Buffer { get; } = GC.AllocateUninitializedArray<T>(capacity, pinned: true);

    /// <summary>Binds the first shape-product elements of <see cref="Buffer"/> as the input; those past the first
    /// <paramref name="filled"/> (padding rows) are zeroed first.</summary>
    public void Bind(OrtIoBinding binding, long[] shape, int? filled = null)
    {
        var length = checked((int)shape.Aggregate(1L, (a, d) => a * d));
        if (filled < length) Buffer.AsSpan(filled.Value, length - filled.Value).Clear();
        _value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Buffer.AsMemory(0, length), shape);
        binding.BindInput(name, _value);
    }

    public void Release()
    {
        _value?.Dispose();
        _value = null;
    }

    public void Dispose() => Release();
}
