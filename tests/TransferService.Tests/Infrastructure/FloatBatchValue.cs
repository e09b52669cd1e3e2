using Onnx;

namespace TransferService.Tests.Infrastructure;

/// <summary>The ONNX value of a graph input or output the test models use: float32 of shape [N, item…], N symbolic.</summary>
public static class FloatBatchValue
{
    public static ValueInfoProto Of(string name, params long[] item)
    {
        var shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "N" } } };
        foreach (var d in item) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
