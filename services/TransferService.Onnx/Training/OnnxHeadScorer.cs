using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TransferService.Core.Heads;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Training;

/// <summary>Runs a head's inference graph on one lane through an <see cref="OrtIoBinding"/>, reading the caller's
/// embeddings in place and writing the probabilities straight into the returned array. One binding serves every
/// call, so calls are serialised by a lock: safe from several threads, but built for one caller at a time.
/// Owns its session, binding and run options; the caller owns the scorer and disposes it.</summary>
internal sealed class OnnxHeadScorer : IHeadScorer
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly string _output;
    private readonly int _dimension;
    private readonly int _classes;
    private readonly Lock _lock = new();
    private readonly LaneScheduler _scheduler;
    private bool _disposed;

    public OnnxHeadScorer(HeadWeights weights, float temperature, DeviceLane lane, LaneScheduler scheduler)
    {
        _scheduler = scheduler;
        var model = HeadGraphBuilder.InferenceModel(weights, temperature);
        _output = model.Graph.Output.Single().Name;
        _dimension = weights.InputDimension;
        _classes = weights.Classes;
        _session = LaneSessions.Open(model, lane);
        _binding = _session.CreateIoBinding();
    }

    public unsafe float[] Probabilities(ReadOnlySpan<float> embeddings, int count)
    {
        if (count < 0 || embeddings.Length != (long)count * _dimension)
            throw new ArgumentException($"{embeddings.Length} values are not {count} embeddings of {_dimension}", nameof(embeddings));
        var probabilities = new float[count * _classes];
        if (count == 0) return probabilities;
        lock (_lock)
        {
            // A run on a disposed session would read freed native memory: refuse it instead.
            ObjectDisposedException.ThrowIf(_disposed, this);
            fixed (float* input = embeddings)
            fixed (float* output = probabilities)
            {
                // Values over the pinned spans: no copy on a CPU lane; on CUDA, binding copies in and the run copies out.
                using var inputValue = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                    [count, _dimension], (nint)input, (long)embeddings.Length * sizeof(float));
                using var outputValue = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                    [count, _classes], (nint)output, (long)probabilities.Length * sizeof(float));
                try
                {
                    _binding.BindInput(HeadGraphBuilder.InferenceInput, inputValue);
                    _binding.BindOutput(_output, outputValue);
                    _session.RunWithBinding(_runOptions, _binding);
                    _binding.SynchronizeBoundOutputs();
                }
                finally
                {
                    _binding.ClearBoundInputs();
                    _binding.ClearBoundOutputs();
                }
            }
        }
        return probabilities;
    }

    public async Task<float[]> ScoreAsync(ReadOnlyMemory<float> embeddings, int count, WorkTag tag, CancellationToken cancellationToken)
    {
        using var turn = await _scheduler.EnterAsync(tag, cancellationToken).ConfigureAwait(false);
        return Probabilities(embeddings.Span, count);
    }

    /// <summary>Waits for a run in progress, then frees the session; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _binding.Dispose();
            _runOptions.Dispose();
            _session.Dispose();
        }
    }
}
