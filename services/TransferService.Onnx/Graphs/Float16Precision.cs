using Onnx;

namespace TransferService.Onnx.Graphs;

internal static class Float16Precision
{
    public static void Apply(ModelProto model, bool deviceHasKernels) => throw new InvalidOperationException("pending");
}
