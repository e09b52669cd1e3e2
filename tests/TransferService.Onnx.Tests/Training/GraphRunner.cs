using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace TransferService.Onnx.Tests.Training;

/// <summary>Runs a generated graph on the CPU EP with named host inputs and reads outputs back as doubles.
/// Owns the session; each <see cref="Run"/> owns and disposes its values.</summary>
internal sealed class GraphRunner(ModelProto model) : IDisposable
{
    private readonly InferenceSession _session = new(model.ToByteArray());

    public Dictionary<string, double[]> Run(IReadOnlyDictionary<string, (Array Data, long[] Shape)> inputs, params string[] outputs)
    {
        var names = inputs.Keys.ToArray();
        var values = names.Select(n => Create(inputs[n].Data, inputs[n].Shape)).ToList();
        try
        {
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, names, values, outputs);
            return outputs.Select((name, i) => (name, Read(results[i]))).ToDictionary(p => p.name, p => p.Item2);
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();

    private static OrtValue Create(Array data, long[] shape) => data switch
    {
        double[] d => OrtValue.CreateTensorValueFromMemory(d, shape),
        float[] f => OrtValue.CreateTensorValueFromMemory(f, shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, shape),
        _ => throw new ArgumentException($"unsupported input type {data.GetType()}"),
    };

    private static double[] Read(OrtValue value) =>
        value.GetTensorTypeAndShape().ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Double
            ? value.GetTensorDataAsSpan<double>().ToArray()
            : [.. value.GetTensorDataAsSpan<float>().ToArray().Select(f => (double)f)];
}
