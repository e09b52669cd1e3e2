using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Graphs;

/// <summary>Float32 initializers as float16: values beyond float16's range are clamped to ±65504 (a mask's −3.4e38
/// would otherwise become −∞ and turn a 0·mask into NaN).</summary>
internal static class Float16Values
{
    public const float Max = 65504f;

    public static float[] Read(TensorProto tensor) => tensor.RawData.Length > 0
        ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
        : tensor.FloatData.ToArray();

    public static void Write(TensorProto tensor, float[] values)
    {
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static Half Round(float value) => (Half)Math.Clamp(value, -Max, Max);

    /// <summary>A float16 copy of <paramref name="tensor"/> named <paramref name="name"/>.</summary>
    public static TensorProto ToHalf(TensorProto tensor, string name)
    {
        var values = Read(tensor);
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++) halves[i] = Round(values[i]);
        var converted = new TensorProto { Name = name, DataType = (int)DataType.Float16, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(halves.AsSpan())) };
        converted.Dims.AddRange(tensor.Dims);
        return converted;
    }
}
