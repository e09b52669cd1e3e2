using Microsoft.ML.OnnxRuntime;

namespace TransferService.Benchmarks.Bare;

/// <summary>The baseline: the service's model file in a plain <see cref="InferenceSession"/> with default
/// session options (ORT_ENABLE_ALL, every core), on the CPU EP or the CUDA EP with default provider
/// options. Owns the session.</summary>
internal sealed class BareModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _outputs;

    public BareModel(string modelFile, string output, string device)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (device.StartsWith("cuda:", StringComparison.Ordinal)) options.AppendExecutionProvider_CUDA(int.Parse(device[5..]));
        _session = new InferenceSession(modelFile, options);
        _outputs = [output];
    }

    /// <summary>Runs one batch, synchronously; returns how many items it held. The output is dropped.</summary>
    public int Run(BareBatch batch)
    {
        using var outputs = _session.Run(_runOptions, batch.Names, batch.Values, _outputs);
        return batch.Size;
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
