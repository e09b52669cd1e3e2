using Onnx;
using TransferService.Onnx.Training;

namespace TransferService.Onnx.Graphs;

internal static class ModelOpset
{
    /// <summary>The model's default-domain opset: the version whose operator semantics nodes added to it must follow.</summary>
    public static long Of(ModelProto model) =>
        model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(OnnxGraph.OpsetVersion).Max();
}
