using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Heads;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Training;

/// <summary>Runs the training-step graph on one lane through an <see cref="OrtIoBinding"/>. The embeddings are bound
/// once (on a CUDA lane the binding copies them to the device once and keeps them there); parameters and moments stay
/// in two lane-resident <see cref="TrainingState"/> sets: each step reads one and writes the other, then they swap.
/// Owns the session, binding, allocator, all three state sets (host initial + two lane) and the step inputs.</summary>
internal sealed class TrainingStepSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly OrtMemoryInfo? _deviceMemory;
    private readonly OrtAllocator? _deviceAllocator;
    private readonly OrtValue _embeddings;
    private readonly float[] _loss;
    private readonly OrtValue _lossValue;
    private readonly TrainingState _initial;
    private readonly TrainingState[] _laneStates;
    private readonly string[] _stateNames;

    public TrainingStepSession(TrainingGraphSpec spec, DeviceLane lane, TrainingData train, int batchSize,
        IReadOnlyDictionary<string, float[]> initialParameters)
    {
        _stateNames = [.. spec.StateTensors().Select(t => t.Name)];
        _session = LaneSessions.Open(TrainingStepGraph.Build(spec), lane);
        _binding = _session.CreateIoBinding();
        _deviceMemory = LaneSessions.DeviceMemory(lane);
        if (_deviceMemory is not null) _deviceAllocator = new OrtAllocator(_session, _deviceMemory);
        var allocator = _deviceAllocator ?? OrtAllocator.DefaultInstance;
        _laneStates = [TrainingState.Allocate(spec, allocator), TrainingState.Allocate(spec, allocator)];
        _initial = TrainingState.FromHost(spec, initialParameters);
        Current = _initial;
        Inputs = new StepInputs(spec, batchSize);

        _embeddings = OrtValue.CreateTensorValueFromMemory(train.Features, [train.Count, train.Dimension]);
        _binding.BindInput(HeadTensorNames.Embeddings, _embeddings);
        _loss = new float[spec.Heads];
        _lossValue = OrtValue.CreateTensorValueFromMemory(_loss, spec.Stacked ? [spec.Heads] : []);
        _binding.BindOutput(HeadTensorNames.Loss, _lossValue);
    }

    /// <summary>Fill these before each <see cref="Run"/>.</summary>
    public StepInputs Inputs { get; }

    /// <summary>The newest parameters and moments: the host initial set until the first step, a lane set after.
    /// Valid until the next <see cref="Run"/> or disposal.</summary>
    public TrainingState Current { get; private set; }

    /// <summary>One optimizer step on the filled inputs (learning rates included); <paramref name="step"/> counts from 1.</summary>
    /// <returns>The batch's training loss, one per head; valid until the next run.</returns>
    public ReadOnlySpan<float> Run(long step)
    {
        // Never the set being read: ORT may write an output before the backward pass has read the input.
        var next = Current == _laneStates[0] ? _laneStates[1] : _laneStates[0];
        Inputs.Bind(_binding, step);
        Current.BindAsInputs(_binding, _stateNames);
        next.BindAsNextOutputs(_binding);
        _session.RunWithBinding(_runOptions, _binding);
        _binding.SynchronizeBoundOutputs();
        Current = next;
        return _loss;
    }

    public void Dispose()
    {
        Inputs.Dispose();
        _binding.Dispose();
        _runOptions.Dispose();
        _lossValue.Dispose();
        _embeddings.Dispose();
        _initial.Dispose();
        foreach (var state in _laneStates) state.Dispose();
        _deviceAllocator?.Dispose();
        _deviceMemory?.Dispose();
        _session.Dispose();
    }
}
