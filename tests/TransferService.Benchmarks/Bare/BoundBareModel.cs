using Microsoft.ML.OnnxRuntime;

namespace TransferService.Benchmarks.Bare;

/// <summary>The device baseline: the model file in a plain session on the CUDA EP (with the service's default
/// provider option prefer_nhwc=1), run through an <see cref="OrtIoBinding"/>: the batch's host tensors are bound as
/// inputs and the output is bound to host memory, so each run pays the copies to and from the device, as a client of
/// ONNX Runtime that holds its data on the host does; or, given batches already in device memory and
/// <c>outputMemory</c> on the device, the model alone with no copy at all. Owns the session, binding and run
/// options.</summary>
internal sealed class BoundBareModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly string _output;
    private readonly OrtMemoryInfo _outputMemory;

    public BoundBareModel(string modelFile, string output, string device, OrtMemoryInfo? outputMemory = null)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (device.StartsWith("cuda:", StringComparison.Ordinal))
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = device[5..], ["prefer_nhwc"] = "1" });
            options.AppendExecutionProvider_CUDA(cuda);
        }
        _session = new InferenceSession(modelFile, options);
        _binding = _session.CreateIoBinding();
        _output = output;
        _outputMemory = outputMemory ?? OrtMemoryInfo.DefaultInstance;
    }

    public int Run(BareBatch batch)
    {
        foreach (var (name, value) in batch.Names.Zip(batch.Values)) _binding.BindInput(name, value);
        _binding.BindOutputToDevice(_output, _outputMemory);
        _session.RunWithBinding(_runOptions, _binding);
        using var outputs = _binding.GetOutputValues();
        _binding.ClearBoundInputs();
        _binding.ClearBoundOutputs();
        return batch.Size;
    }

    public void Dispose()
    {
        _binding.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
    }
}
