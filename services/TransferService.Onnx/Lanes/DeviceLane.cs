using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace TransferService.Onnx.Lanes;

/// <summary>One execution device ("cuda:N" or "cpu[:k]"): makes the session options for it and serialises
/// the lane's scheduler (Core's LaneScheduler) decides what runs on it. A CUDA lane whose provider cannot load falls back to the CPU EP, said once in the log.</summary>
public sealed class DeviceLane
{
    private readonly LaneOptions _options;
    private readonly ILogger _logger;

    public DeviceLane(string name, LaneOptions options, ILogger logger)
    {
        Name = name;
        _options = options;
        _logger = logger;
        DeviceId = ParseCudaDevice(name);
        if (DeviceId >= 0) UsesCuda = ProbeCuda();
    }

    public string Name { get; }
    public LaneOptions Options => _options;
    /// <summary>The CUDA device ordinal, or -1 for a CPU lane.</summary>
    public int DeviceId { get; }
    /// <summary>False for a CPU lane, and for a CUDA lane that fell back to the CPU EP.</summary>
    public bool UsesCuda { get; }

    /// <summary>New session options for this lane; the caller owns and disposes them.</summary>
    /// <param name="cpuThreads">Intra-op threads on the CPU; 0 lets ONNX Runtime use every core; null: the lane's
    /// <see cref="LaneOptions.CpuThreads"/>.</param>
    public SessionOptions CreateSessionOptions(int? cpuThreads = null)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, EnableCpuMemArena = _options.CpuMemoryArena };
        if ((cpuThreads ?? _options.CpuThreads) is > 0 and var threads) options.IntraOpNumThreads = threads;
        foreach (var (key, value) in _options.SessionConfig) options.AddSessionConfigEntry(key, value);
        if (UsesCuda) AppendCuda(options);
        return options;
    }

    private bool ProbeCuda()
    {
        try
        {
            using var options = new SessionOptions();
            AppendCuda(options);
            _logger.LogInformation("Lane {Lane} runs on the CUDA execution provider", Name);
            return true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            _logger.LogWarning("Lane {Lane}: the CUDA execution provider could not load ({Reason}); this lane runs on the CPU",
                Name, e.Message);
            return false;
        }
    }

    private void AppendCuda(SessionOptions options)
    {
        using var cuda = new OrtCUDAProviderOptions();
        cuda.UpdateOptions(new Dictionary<string, string>(_options.Cuda) { ["device_id"] = DeviceId.ToString() });
        options.AppendExecutionProvider_CUDA(cuda);
    }

    private static int ParseCudaDevice(string name) =>
        name.StartsWith("cuda", StringComparison.Ordinal)
            ? (name.Length == 4 ? 0 : int.Parse(name.AsSpan(5)))
            : -1;
}
