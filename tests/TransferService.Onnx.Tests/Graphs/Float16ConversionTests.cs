using Onnx;
using TransferService.Onnx.Graphs;
using TransferService.Onnx.Tests.Sessions;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Tests.Graphs;

[Collection(InstalledBuiltins.Collection)]
public sealed class Float16ConversionTests(InstalledBuiltins builtins)
{
    private static readonly string[] HeavyOps = ["Conv", "MatMul", "Gemm"];
    private static readonly string[] SensitiveOps = ["ReduceMean", "ReduceSum", "ReduceL2", "Pow", "Sqrt", "Softmax", "AveragePool"];

    // resnet18's weights are nearly all convolutions'; minilm's word-embedding table (11.7 M of its 22.7 M weights)
    // is read by a Gather straight into a LayerNorm, so it stays float32.
    [Theory]
    [InlineData("resnet18", 0.49, 0.51)]
    [InlineData("minilm", 0.75, 0.78)]
    public void Convert_ServingGraph_HeavyOpsInFloat16SensitiveOpsAndInterfaceInFloat32(string name, double minimumBytesRatio, double maximumBytesRatio)
    {
        var model = ServingModelOf(name);
        var inputs = Types(model.Graph.Input);
        var float32Bytes = WeightBytes(model.Graph);

        Float16Conversion.Convert(model.Graph);

        var half = HalfValues(model.Graph);
        Assert.Equal(inputs, Types(model.Graph.Input));
        Assert.Equal([(ServingGraph.EmbeddingOutput, DataType.Float)], Types(model.Graph.Output));
        var heavy = model.Graph.Node.Where(n => HeavyOps.Contains(n.OpType)).ToArray();
        Assert.NotEmpty(heavy);
        Assert.All(heavy, n => Assert.All(n.Input.Where(i => i.Length > 0), i => Assert.Contains(i, half)));
        var sensitive = model.Graph.Node.Where(n => SensitiveOps.Contains(n.OpType)).ToArray();
        Assert.NotEmpty(sensitive);
        Assert.All(sensitive, n => Assert.DoesNotContain(n.Input[0], half));
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization");
        Assert.InRange(WeightBytes(model.Graph) / (double)float32Bytes, minimumBytesRatio, maximumBytesRatio);
    }

    private ModelProto ServingModelOf(string name)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(builtins.Root, name, "model.onnx")));
        ServingGraph.Build(model, builtins.Manifest(name));
        return model;
    }

    /// <summary>Values the graph holds in float16: float16 initializers and the outputs of float16 nodes and casts.</summary>
    private static HashSet<string> HalfValues(GraphProto graph) =>
    [
        .. graph.Initializer.Where(t => t.DataType == (int)DataType.Float16).Select(t => t.Name),
        .. graph.Node.SelectMany(n => n.Output).Where(o => o.EndsWith("__fp16", StringComparison.Ordinal)),
    ];

    private static (string, DataType)[] Types(IEnumerable<ValueInfoProto> values) =>
        values.Select(v => (v.Name, (DataType)v.Type.TensorType.ElemType)).ToArray();

    private static long WeightBytes(GraphProto graph) => graph.Initializer.Sum(t => (long)t.RawData.Length + t.FloatData.Count * 4L);
}
