namespace TransferService.Onnx.Lanes;

public sealed record LaneOptions
{
    public const string Section = "Lanes";

    /// <summary>Comma-separated device lanes, e.g. "cuda:0,cuda:1" or "cpu,cpu:1" (several CPU lanes simulate
    /// several GPUs). Empty: every CUDA device found, else "cpu".</summary>
    public string Devices { get; init; } = "";

    public IReadOnlyList<string> DeviceNames => Devices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>CUDA execution provider options, passed through (e.g. prefer_nhwc, use_tf32, cudnn_conv_algo_search).</summary>
    public Dictionary<string, string> Cuda { get; init; } = new() { ["prefer_nhwc"] = "1" };

    /// <summary>ORT intra-op threads per CPU session; 0 lets ONNX Runtime use every core.</summary>
    public int CpuThreads { get; init; }

    /// <summary>ONNX Runtime's CPU memory arena. On (the default) it keeps the largest activations a batch ever needed
    /// for the life of the session; off, each run allocates and frees: measured on 2 cores, 568 MiB less resident after
    /// a burst, but 8-10 % less throughput at saturation, so it stays on unless memory matters more.</summary>
    public bool CpuMemoryArena { get; init; } = true;

    public static bool IsValidDeviceName(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^(cpu(:[0-9]+)?|cuda(:[0-9]+)?)$");
}
