using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Backbones;
using TransferService.Core.Placement;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests;

/// <summary>Backbone folders the fakes run (a manifest and a model file of a chosen size, which sets the footprint)
/// and registries over them.</summary>
internal static class FakeBackbones
{
    public const string TensorManifest = """{ "modality": "tensor", "output": "y", "dimension": 2, "tensor": { "input": "x", "shape": [1] } }""";

    public static void Write(string root, string name, long modelBytes = 16, string manifest = TensorManifest)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        File.WriteAllText(Path.Combine(folder, BackboneManifest.FileName), manifest);
        using var model = File.Create(Path.Combine(folder, "model.onnx"));
        model.SetLength(modelBytes);
    }

    /// <summary>A registry over <paramref name="root"/> on the runtime's lanes, each with <paramref name="laneBudget"/>
    /// bytes; footprints are the model files' bytes (factor 1).</summary>
    public static BackboneRegistry Registry(string root, IBackboneRuntime runtime, LaneSchedulers schedulers, bool loadOnDemand = true,
        long laneBudget = long.MaxValue, TimeProvider? time = null) =>
        new(new ModelRepository(root), runtime, new BackboneOptions { LoadOnDemand = loadOnDemand }, schedulers,
            Placement(runtime, laneBudget), time ?? TimeProvider.System, NullLoggerFactory.Instance);

    public static LanePlacement Placement(IBackboneRuntime runtime, long laneBudget = long.MaxValue) =>
        new(new PlacementOptions { Lanes = runtime.Lanes.Select(l => new LaneBudget(l, laneBudget)).ToArray(), FootprintFactor = 1 });
}
