using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Sessions;

/// <summary>A backbone's ONNX Runtime session on one lane, run through an <see cref="OrtIoBinding"/> over
/// reusable pinned input buffers. Owns the session, binding, run options and feeder.</summary>
internal sealed class OnnxBackboneSession : IBackboneSession
{
    private readonly BackboneManifest _manifest;
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly IBatchFeeder _feeder;
    private readonly int _itemsPerRun;

    public OnnxBackboneSession(BackboneManifest manifest, string folder, DeviceLane lane, long maxModelBytes)
    {
        _manifest = manifest;
        Lane = lane.Name;
        var modelPath = BackboneFile.Resolve(folder, manifest.Model, "model", maxModelBytes);
        _session = Open(modelPath, manifest.Model, lane);
        try
        {
            var contract = new ModelContract(_session, manifest);
            _itemsPerRun = contract.ItemsPerRun;
            _feeder = manifest.Modality == Modality.Text
                ? new TokenFeeder(manifest.Text!, _itemsPerRun)
                : new FloatTensorFeeder(contract.FloatInput, contract.ItemShape, _itemsPerRun);
            _binding = _session.CreateIoBinding();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public string Lane { get; }

    private static InferenceSession Open(string modelPath, string manifestPath, DeviceLane lane)
    {
        using var options = lane.CreateSessionOptions();
        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            // ONNX Runtime names the file by its server path; the caller knows it by the manifest's.
            var reason = e.Message.Replace(modelPath, manifestPath).Replace(Path.GetDirectoryName(modelPath)!, "<backbone folder>");
            throw new TransferException(ErrorCode.FailedPrecondition, $"backbone.json: model could not be loaded: {reason}", "model", e);
        }
    }

    public void Run(IReadOnlyList<PreparedInput> batch, Span<float> embeddings, CancellationToken cancellationToken)
    {
        var dimension = _manifest.Dimension;
        for (var start = 0; start < batch.Count; start += _itemsPerRun)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(_itemsPerRun, batch.Count - start);
            try
            {
                _feeder.Bind(_binding, batch, start, count);
                _binding.BindOutputToDevice(_manifest.Output, OrtMemoryInfo.DefaultInstance);
                _session.RunWithBinding(_runOptions, _binding);
                using var outputs = _binding.GetOutputValues();
                var output = outputs[0];
                var shape = output.GetTensorTypeAndShape().Shape;
                EmbeddingPooler.Pool(_manifest.Pooling, output.GetTensorDataAsSpan<float>(), shape, _feeder.Mask,
                    dimension, embeddings.Slice(start * dimension, count * dimension));
            }
            finally
            {
                _binding.ClearBoundInputs();
                _binding.ClearBoundOutputs();
                _feeder.Release();
            }
        }
    }

    public void Dispose()
    {
        _feeder.Dispose();
        _binding.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
