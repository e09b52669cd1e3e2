using Onnx;
using Names = TransferService.Onnx.Training.HeadTensorNames;

namespace TransferService.Onnx.Training;

/// <summary>Generates a graph that copies every parameter to an output p_snapshot. Run with outputs bound to host
/// memory, it is how parameters that live on a CUDA device come back to the host, using only IOBinding.</summary>
internal static class SnapshotGraph
{
    public static ModelProto Build(TrainingGraphSpec spec)
    {
        var graph = OnnxGraph.Create(spec.ElementType, "head_snapshot");
        foreach (var (name, shape) in spec.Parameters())
        {
            graph.Input(name, spec.ElementType, shape);
            graph.NodeTo("Identity", [name], Names.Snapshot(name));
            graph.Output(Names.Snapshot(name), spec.ElementType);
        }
        return graph.ToModel();
    }
}
