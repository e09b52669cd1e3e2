using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Heads;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Training;

/// <summary>Scores a <see cref="TrainingState"/> on the validation split with the validation graph. The split is
/// bound once (resident on the device for a CUDA lane); the two sums come back to host buffers.
/// Owns its session, binding and values; reads, never owns, the state it is given.</summary>
internal sealed class ValidationSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _parameterNames;
    private readonly int _count;
    private readonly int _heads;
    private readonly float[] _sums;
    private readonly List<OrtValue> _values = [];

    public ValidationSession(TrainingGraphSpec spec, DeviceLane lane, TrainingData validation)
    {
        _count = validation.Count;
        _heads = spec.Heads;
        _sums = new float[2 * _heads];
        long[] shape = spec.Stacked ? [_heads] : [];
        _parameterNames = [.. spec.Parameters().Select(p => p.Name)];
        _session = LaneSessions.Open(ValidationGraph.Build(spec), lane);
        _binding = _session.CreateIoBinding();
        var labels = validation.Labels.Select(l => (long)l).ToArray();
        Bind(HeadTensorNames.ValidationEmbeddings, OrtValue.CreateTensorValueFromMemory(validation.Features, [_count, validation.Dimension]), input: true);
        Bind(HeadTensorNames.Labels, OrtValue.CreateTensorValueFromMemory(labels, [_count]), input: true);
        Bind(HeadTensorNames.LossSum, OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _sums.AsMemory(0, _heads), shape), input: false);
        Bind(HeadTensorNames.CorrectCount, OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _sums.AsMemory(_heads, _heads), shape), input: false);
    }

    /// <summary>Mean cross-entropy (unweighted, no label smoothing) and accuracy of <paramref name="state"/>'s parameters,
    /// one of each per head.</summary>
    public (double[] Loss, double[] Accuracy) Evaluate(TrainingState state)
    {
        state.BindAsInputs(_binding, _parameterNames);
        _session.RunWithBinding(_runOptions, _binding);
        _binding.SynchronizeBoundOutputs();
        return (_sums[.._heads].Select(s => (double)s / _count).ToArray(), _sums[_heads..].Select(s => (double)s / _count).ToArray());
    }

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        foreach (var value in _values) value.Dispose();
        _session.Dispose();
    }

    private void Bind(string name, OrtValue value, bool input)
    {
        _values.Add(value);
        if (input) _binding.BindInput(name, value);
        else _binding.BindOutput(name, value);
    }
}
