namespace TransferService.Onnx.Lanes;

/// <summary>The memory budget of each lane: its override, else the configured budget, else what the device has — for a
/// CUDA device 90 % of its memory (the rest is the CUDA context's and head training's), for a CPU lane the physical
/// memory the process may use.</summary>
public static class LaneMemoryBudget
{
    public static long For(DeviceLane lane, LaneOptions options)
    {
        if (options.ParseMemoryBudgetOverrides() is { } overrides && overrides.TryGetValue(lane.Name, out var bytes)) return bytes;
        if (options.MemoryBudgetBytes > 0) return options.MemoryBudgetBytes;
        if (lane.UsesCuda && CudaDevices.TotalMemory(lane.DeviceId) is > 0 and var device) return device / 10 * 9;
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
