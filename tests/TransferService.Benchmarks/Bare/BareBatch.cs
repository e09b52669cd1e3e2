using Microsoft.ML.OnnxRuntime;

namespace TransferService.Benchmarks.Bare;

/// <summary>The input tensors of one ready-made batch, by input name. Owns its OrtValues (which pin the
/// managed arrays under them) and disposes them.</summary>
internal sealed class BareBatch(int size, IReadOnlyDictionary<string, OrtValue> inputs) : IDisposable
{
    public int Size { get; } = size;
    public IReadOnlyCollection<string> Names { get; } = inputs.Keys.ToArray();
    public IReadOnlyCollection<OrtValue> Values { get; } = inputs.Values.ToArray();

    public static OrtValue Tensor<T>(T[] data, params long[] shape) where T : unmanaged =>
        OrtValue.CreateTensorValueFromMemory(data, shape);

    public void Dispose()
    {
        foreach (var value in Values) value.Dispose();
    }
}
