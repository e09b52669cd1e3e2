using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Graphs;

/// <summary>The element type of a node's output from its inputs' types, by the ONNX operator rules the built-in and
/// common exported models use: enough to tell float tensors from index, shape and mask tensors without a full
/// shape inference. Undefined when it cannot tell; such values are left alone.</summary>
internal static class ElementTypes
{
    private static readonly HashSet<string> Int64Outputs = ["Shape", "Size", "NonZero", "ArgMax", "ArgMin"];
    private static readonly HashSet<string> BoolOutputs =
        ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf"];

    public static DataType Output(NodeProto node, int index, Func<string, DataType> typeOf)
    {
        var op = node.OpType;
        if (Int64Outputs.Contains(op)) return DataType.Int64;
        if (BoolOutputs.Contains(op)) return DataType.Bool;
        switch (op)
        {
            case "Cast": return (DataType)Attribute(node, "to")!.I;
            case "Constant": return ConstantType(node);
            case "ConstantOfShape": return Attribute(node, "value") is { } value ? (DataType)value.T.DataType : DataType.Float;
            case "Where": return typeOf(node.Input[1]);
            case "MaxPool" or "TopK" when index == 1: return DataType.Int64;
            case "Dropout" when index == 1: return DataType.Bool;
        }
        return node.Input.Count > 0 && node.Input[0].Length > 0 ? typeOf(node.Input[0]) : DataType.Undefined;
    }

    public static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private static DataType ConstantType(NodeProto node)
    {
        var attribute = node.Attribute.Single();
        return attribute.Name switch
        {
            "value" => (DataType)attribute.T.DataType,
            "value_float" or "value_floats" => DataType.Float,
            "value_int" or "value_ints" => DataType.Int64,
            _ => DataType.Undefined,
        };
    }
}
