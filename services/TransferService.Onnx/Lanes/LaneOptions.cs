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

    /// <summary>ONNX Runtime session configuration entries for every backbone session the lanes create, passed through
    /// (e.g. <c>session.intra_op.allow_spinning</c>, <c>session.force_spinning_stop</c>); keys up to 128 characters,
    /// values up to 1,024, as ONNX Runtime takes them.</summary>
    public Dictionary<string, string> SessionConfig { get; init; } = [];

    /// <summary>Where inputs are normalised and outputs pooled: in the backbone's graph (the default: less to copy to and
    /// from a device, and no slower on CPU; see docs/performance.md) or on the host, as before.</summary>
    public DataPath DataPath { get; init; } = DataPath.Graph;

    /// <summary>Items per model run within a batch: 0 runs a batch in one go; N splits it into runs of N and packs the
    /// next run's inputs (into a second set of pinned buffers) while the device runs the current one.</summary>
    public int ItemsPerRun { get; init; }

    /// <summary>Items per model run for a model that takes up to <paramref name="modelItemsPerRun"/> at once.</summary>
    public int RunSize(int modelItemsPerRun) => ItemsPerRun > 0 ? Math.Min(ItemsPerRun, modelItemsPerRun) : modelItemsPerRun;

    /// <summary>Whether a backbone of fixed-shape inputs (images, tensors) runs one session per batch size of
    /// <see cref="Sessions.BatchShapes"/> (1, then powers of two from 8), each run once at load, every run padded up to
    /// its session's size. Null (the default): on CUDA lanes only. ONNX Runtime's CUDA convolutions keep the plan of the
    /// last input shape they ran and rebuild all of them, on the host, when it changes; with one session for every
    /// size, a batcher's varying batch sizes rebuilt them on nearly every batch (measured on an H200: ResNet-18 at a
    /// third of a bare session, the GPU mostly idle). The price is a copy of the weights in device memory per size
    /// (seven for batches of up to 256, four for the built-ins' 32), which the footprint estimate counts. On a CPU a
    /// shape costs nothing, so there one session takes every size.</summary>
    public bool? SessionPerBatchSize { get; init; }

    /// <summary>ORT intra-op threads per CPU session; 0 lets ONNX Runtime use every core.</summary>
    public int CpuThreads { get; init; }

    /// <summary>ORT intra-op threads for a head's graphs on a CPU lane (training steps, validation, scoring); 0 lets
    /// ONNX Runtime use every core. One by default: a head's nodes are small (a step of the default grid is a few
    /// million multiply-adds), so more threads mostly add hand-offs, and a training job then leaves the lane's other
    /// cores to the backbones serving beside it. Measured on 2 cores: single configs trained 1.3–2× faster on one
    /// thread (linear heads, up to an MLP of 1,024 hidden units at batch 256); default TrainHead jobs 10–25 % faster on
    /// SpamAssassin and Fashion-MNIST, and within the noise on the fortunes (nine 8-class linear heads side by side).</summary>
    public int HeadCpuThreads { get; init; } = 1;

    /// <summary>ONNX Runtime's CPU memory arena. On (the default) it keeps the largest activations a batch ever needed
    /// for the life of the session; off, each run allocates and frees: measured on 2 cores, 568 MiB less resident after
    /// a burst, but 8-10 % less throughput at saturation, so it stays on unless memory matters more.</summary>
    public bool CpuMemoryArena { get; init; } = true;

    /// <summary>Bytes of backbone copies each lane may hold (estimated: model file × <see cref="FootprintFactor"/>); a load
    /// that needs room unloads idle copies, least recently used first. 0: automatic — a CUDA lane's device memory, a
    /// CPU lane's physical memory (generous: CPU lanes share it, as they always have).</summary>
    public long MemoryBudgetBytes { get; init; }

    /// <summary>Per-lane budgets that override <see cref="MemoryBudgetBytes"/>, e.g. "cuda:0=20000000000,cpu=4000000000"
    /// (lane names hold ':' and so cannot be configuration keys).</summary>
    public string MemoryBudgetOverrides { get; init; } = "";

    /// <summary>A backbone copy's estimated footprint on a lane = its model file's bytes × this factor: the weights, the
    /// copies ONNX Runtime optimises or pre-packs, and some activation arena.</summary>
    public double FootprintFactor { get; init; } = 2;

    /// <summary>A busy backbone spreads to another lane with free room when its lane holds this many of its full batches.</summary>
    public double SpreadQueuedBatches { get; init; } = 2;

    /// <summary>The overrides as lane → bytes; null when the text is malformed.</summary>
    public IReadOnlyDictionary<string, long>? ParseMemoryBudgetOverrides()
    {
        var budgets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in MemoryBudgetOverrides.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = entry.LastIndexOf('=');
            if (at <= 0 || !IsValidDeviceName(entry[..at].Trim()) || !long.TryParse(entry[(at + 1)..].Trim(), out var bytes) || bytes <= 0
                || !budgets.TryAdd(entry[..at].Trim(), bytes))
                return null;
        }
        return budgets;
    }

    public static bool IsValidDeviceName(string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^(cpu(:[0-9]+)?|cuda(:[0-9]+)?)$");
}
