using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace TransferService.Onnx.Training;

/// <summary>One set of the tensors a training step carries to the next (parameters and AdamW moments), as float32
/// OrtValues. Owns the values and disposes them; memory from a session's allocator must be disposed before that session.</summary>
internal sealed class TrainingState : IDisposable
{
    private readonly Dictionary<string, OrtValue> _values = [];

    private TrainingState() { }

    /// <summary>Uninitialised tensors from <paramref name="allocator"/> (device memory on a CUDA lane): a step's outputs.</summary>
    public static TrainingState Allocate(TrainingGraphSpec spec, OrtAllocator allocator)
    {
        var state = new TrainingState();
        foreach (var (name, shape) in spec.StateTensors())
            state._values[name] = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, shape);
        return state;
    }

    /// <summary>Host tensors over <paramref name="parameters"/> (kept alive by the values) with zero moments.</summary>
    public static TrainingState FromHost(TrainingGraphSpec spec, IReadOnlyDictionary<string, float[]> parameters)
    {
        var state = new TrainingState();
        foreach (var (name, shape) in spec.Parameters())
        {
            state._values[name] = OrtValue.CreateTensorValueFromMemory(parameters[name], shape);
            var size = parameters[name].Length;
            state._values[HeadTensorNames.FirstMoment(name)] = OrtValue.CreateTensorValueFromMemory(new float[size], shape);
            state._values[HeadTensorNames.SecondMoment(name)] = OrtValue.CreateTensorValueFromMemory(new float[size], shape);
        }
        return state;
    }

    public OrtValue this[string name] => _values[name];

    /// <summary>Binds every tensor of this set as the input of the same name.</summary>
    public void BindAsInputs(OrtIoBinding binding, IEnumerable<string> names)
    {
        foreach (var name in names) binding.BindInput(name, _values[name]);
    }

    /// <summary>Binds every tensor of this set as the step output that replaces it (p → p_next).</summary>
    public void BindAsNextOutputs(OrtIoBinding binding)
    {
        foreach (var (name, value) in _values) binding.BindOutput(HeadTensorNames.Next(name), value);
    }

    public void Dispose()
    {
        foreach (var value in _values.Values) value.Dispose();
        _values.Clear();
    }
}
