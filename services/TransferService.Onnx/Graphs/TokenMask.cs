using Onnx;
using TransferService.Core.Backbones;
using TransferService.Onnx.Training;
using static TransferService.Onnx.Training.OnnxAttributes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Graphs;

/// <summary>Nodes in front of a text model that make its attention mask (1 for the first count[n] positions of row n,
/// 0 for the padding) and its all-zero token type ids from the token ids and one count per row, so only the ids and
/// N counts cross to the device. Needs opset 11 (Range).</summary>
internal static class TokenMask
{
    public const long MinimumOpset = 11;

    public static void Prepend(OnnxGraph graph, TextSpec spec, string countsInput, long opset)
    {
        var shape = graph.Node("Shape", [spec.InputIds]);
        var length = graph.Node("Gather", [shape, ScalarInt64(graph, 1)], Int("axis", 0));
        var positions = graph.Node("Range", [ScalarInt64(graph, 0), length, ScalarInt64(graph, 1)]);
        var kept = graph.Node("Less", [Unsqueeze(graph, positions, 0, opset), Unsqueeze(graph, countsInput, 1, opset)]);
        graph.NodeTo("Cast", [kept], spec.AttentionMask, Int("to", (long)DataType.Int64));
        if (spec.TokenTypeIds.Length > 0)
            graph.NodeTo("ConstantOfShape", [shape], spec.TokenTypeIds, Tensor("value", ZeroInt64()));
        graph.Input(countsInput, DataType.Int64, OnnxGraph.Symbolic);
    }

    private static string ScalarInt64(OnnxGraph graph, long value)
    {
        var name = graph.NewName("scalar");
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        tensor.Int64Data.Add(value);
        graph.Proto.Initializer.Add(tensor);
        return name;
    }

    private static TensorProto ZeroInt64()
    {
        var tensor = new TensorProto { DataType = (int)DataType.Int64, Dims = { 1 } };
        tensor.Int64Data.Add(0);
        return tensor;
    }

    private static AttributeProto Tensor(string name, TensorProto value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    private static string Unsqueeze(OnnxGraph graph, string x, long axis, long opset) => opset >= 13
        ? graph.Node("Unsqueeze", [x, graph.Int64s(axis)])
        : graph.Node("Unsqueeze", [x], Ints("axes", axis));
}
