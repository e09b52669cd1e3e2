using Microsoft.Extensions.Logging;

namespace TransferService.Onnx.Lanes;

/// <summary>The lanes of this process, from configuration or, when none are configured, discovered.</summary>
public sealed class DeviceLaneSet
{
    public DeviceLaneSet(LaneOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<DeviceLane>();
        var names = options.DeviceNames.Count > 0 ? options.DeviceNames : Discover();
        Lanes = names.Select(n => new DeviceLane(n, options, logger)).ToArray();
        logger.LogInformation("Device lanes: {Lanes}", string.Join(", ", Lanes.Select(l => l.UsesCuda ? l.Name : $"{l.Name} (CPU EP)")));
    }

    public IReadOnlyList<DeviceLane> Lanes { get; }

    public DeviceLane this[string name] =>
        Lanes.FirstOrDefault(l => l.Name == name) ?? throw new KeyNotFoundException($"no device lane '{name}'");

    private static string[] Discover()
    {
        var count = CudaDevices.Count();
        return count > 0 ? Enumerable.Range(0, count).Select(i => $"cuda:{i}").ToArray() : ["cpu"];
    }
}
