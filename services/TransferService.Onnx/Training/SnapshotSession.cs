using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Heads;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Training;

/// <summary>Copies a <see cref="TrainingState"/>'s parameters into new host arrays through the snapshot graph, which
/// works the same whether they live in host or CUDA memory. Owns its session and binding.</summary>
internal sealed class SnapshotSession : IDisposable
{
    private readonly TrainingGraphSpec _spec;
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();

    public SnapshotSession(TrainingGraphSpec spec, DeviceLane lane)
    {
        _spec = spec;
        _session = LaneSessions.Open(SnapshotGraph.Build(spec), lane);
        _binding = _session.CreateIoBinding();
    }

    /// <returns>Each head's weights (one head unless stacked), owned by the caller, sharing nothing with <paramref name="state"/>.</returns>
    public HeadWeights[] Copy(TrainingState state)
    {
        var all = CopyAll(state);
        if (!_spec.Stacked) return [all];
        var (classes, width, dimension) = (_spec.Classes, _spec.LayerWidth(0), _spec.InputDimension);
        return Enumerable.Range(0, _spec.Heads).Select(h =>
        {
            var weights = new float[dimension * classes];
            for (var row = 0; row < dimension; row++) Array.Copy(all.Weights[0], row * width + h * classes, weights, row * classes, classes);
            return new HeadWeights(dimension, [classes], [weights], [all.Biases[0][(h * classes)..((h + 1) * classes)]]);
        }).ToArray();
    }

    // Stacked heads come back side by side, [D, heads·C].
    private HeadWeights CopyAll(TrainingState state)
    {
        var layers = _spec.Layers;
        var weights = new float[layers][];
        var biases = new float[layers][];
        var outputs = new List<OrtValue>();
        try
        {
            for (var l = 0; l < layers; l++)
            {
                weights[l] = BindCopy(state, HeadTensorNames.Weights(l), _spec.WeightShape(l), outputs);
                biases[l] = BindCopy(state, HeadTensorNames.Bias(l), _spec.BiasShape(l), outputs);
            }
            _session.RunWithBinding(_runOptions, _binding);
            _binding.SynchronizeBoundOutputs();
        }
        finally
        {
            _binding.ClearBoundOutputs();
            foreach (var output in outputs) output.Dispose();
        }
        return new HeadWeights(_spec.InputDimension, [.. _spec.LayerSizes], weights, biases);
    }

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private float[] BindCopy(TrainingState state, string parameter, long[] shape, List<OrtValue> outputs)
    {
        var host = new float[shape.Aggregate(1L, (a, d) => a * d)];
        var output = OrtValue.CreateTensorValueFromMemory(host, shape);
        outputs.Add(output);
        _binding.BindInput(parameter, state[parameter]);
        _binding.BindOutput(HeadTensorNames.Snapshot(parameter), output);
        return host;
    }
}
