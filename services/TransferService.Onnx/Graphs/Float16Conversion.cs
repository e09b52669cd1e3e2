using Onnx;
using TransferService.Core.Errors;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Graphs;

/// <summary>Converts a float32 graph to float16 where that is safe, over the ONNX protobuf. The heavy operators
/// (convolutions, matrix products) always run in float16; elementwise and data-movement operators follow their
/// inputs (float16 when every non-constant float input already is); reductions, normalisation statistics, softmax,
/// powers and pooling stay float32, which keeps LayerNorm's variance, attention's softmax and the embedding's
/// pooling exact enough. Graph inputs and outputs keep their types: Cast nodes are inserted where a value crosses
/// between the two, once per value. A value X made in float16 is called X__fp16; X is its float32 form, cast back
/// only where something needs it.</summary>
internal sealed class Float16Conversion
{
    private const string HalfSuffix = "__fp16";

    private static readonly HashSet<string> Heavy = ["Conv", "ConvTranspose", "MatMul", "Gemm"];
    private static readonly HashSet<string> KeptFloat32 =
    [
        "ReduceMean", "ReduceSum", "ReduceL2", "ReduceSumSquare", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceLogSumExp",
        "Softmax", "LogSoftmax", "LayerNormalization", "InstanceNormalization", "LpNormalization", "Pow", "Sqrt",
        "Reciprocal", "Exp", "Log", "AveragePool", "GlobalAveragePool", "Range",
        // What BatchNormFolding could not fold: its running variance does not survive float16.
        "BatchNormalization",
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "IsNaN", "IsInf",
    ];
    /// <summary>Operators that accept any element type and are left untouched.</summary>
    private static readonly HashSet<string> Neutral = ["Shape", "Size", "Cast", "NonZero", "ArgMax", "ArgMin", "ConstantOfShape", "Constant"];
    /// <summary>Inputs that keep float32 whatever the node runs in (ratios, regions of interest, scales).</summary>
    private static readonly Dictionary<string, int[]> Float32Inputs = new() { ["Dropout"] = [1], ["Resize"] = [1, 2], ["Upsample"] = [1] };

    private readonly GraphProto _graph;
    private readonly Dictionary<string, DataType> _types = [];
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly HashSet<string> _constants;
    private readonly Dictionary<string, string> _half = [];
    /// <summary>Values a float16 node made; of those, the ones not (yet) cast back to float32.</summary>
    private readonly HashSet<string> _madeInHalf = [];
    private readonly HashSet<string> _halfOnly = [];
    private readonly List<NodeProto> _nodes = [];
    private readonly Dictionary<string, TensorProto> _halfInitializers = [];

    private Float16Conversion(GraphProto graph)
    {
        _graph = graph;
        _initializers = graph.Initializer.ToDictionary(t => t.Name);
        _constants = [.. _initializers.Keys, .. graph.Node.Where(n => n.OpType == "Constant").SelectMany(n => n.Output)];
        foreach (var input in graph.Input) _types[input.Name] = (DataType)(input.Type?.TensorType?.ElemType ?? 0);
        foreach (var tensor in graph.Initializer) _types[tensor.Name] = (DataType)tensor.DataType;
    }

    /// <summary>Rewrites the graph in place to run in float16 (see the class summary).</summary>
    public static void Convert(GraphProto graph)
    {
        BatchNormFolding.Fold(graph);
        new Float16Conversion(graph).Walk();
    }

    private void Walk()
    {
        if (_graph.Node.Any(n => n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0)))
            throw new TransferException(ErrorCode.FailedPrecondition,
                "backbone.json: precision: fp16 is not available for models with control flow (If, Loop, Scan)", "precision");
        foreach (var node in _graph.Node.ToArray()) Visit(node);
        foreach (var output in _graph.Output) Float32(output.Name);
        _graph.Node.Clear();
        _graph.Node.AddRange(_nodes);
        var used = _nodes.SelectMany(n => n.Input).ToHashSet();
        foreach (var unused in _graph.Initializer.Where(t => !used.Contains(t.Name)).ToArray()) _graph.Initializer.Remove(unused);
        _graph.Initializer.AddRange(_halfInitializers.Values);
        _graph.ValueInfo.Clear();
    }

    private void Visit(NodeProto node)
    {
        var outputTypes = node.Output.Select((_, i) => ElementTypes.Output(node, i, TypeOf)).ToArray();
        var data = DataInputs(node);
        var computed = data.Where(i => !_constants.Contains(node.Input[i])).ToArray();
        var neutral = Neutral.Contains(node.OpType);
        var toHalf = !neutral && !KeptFloat32.Contains(node.OpType) && data.Length > 0 &&
            (Heavy.Contains(node.OpType) || computed.Length > 0 && computed.All(i => _madeInHalf.Contains(node.Input[i])));
        for (var i = 0; i < node.Input.Count; i++)
        {
            var name = node.Input[i];
            if (name.Length == 0 || !IsFloat(name)) continue;
            if (toHalf && data.Contains(i)) node.Input[i] = Half(name);
            else if (neutral && _halfOnly.Contains(name)) node.Input[i] = _half[name];
            else node.Input[i] = Float32(name);
        }
        for (var i = 0; i < node.Output.Count; i++)
        {
            var name = node.Output[i];
            _types[name] = outputTypes[i];
            if (!toHalf || outputTypes[i] != DataType.Float || name.Length == 0) continue;
            _half[name] = node.Output[i] = name + HalfSuffix;
            _madeInHalf.Add(name);
            _halfOnly.Add(name);
        }
        _nodes.Add(node);
    }

    /// <summary>The inputs that carry the node's floating-point data (and must share its element type).</summary>
    private int[] DataInputs(NodeProto node)
    {
        var float32 = Float32Inputs.GetValueOrDefault(node.OpType, []);
        return Enumerable.Range(0, node.Input.Count)
            .Where(i => node.Input[i].Length > 0 && IsFloat(node.Input[i]) && !float32.Contains(i)).ToArray();
    }

    private bool IsFloat(string name) => TypeOf(name) == DataType.Float;

    private DataType TypeOf(string name) => _types.GetValueOrDefault(name, DataType.Undefined);

    /// <summary>The float16 form of a value: a converted copy of an initializer, or a Cast inserted once.</summary>
    private string Half(string name)
    {
        if (_half.TryGetValue(name, out var half)) return half;
        half = name + HalfSuffix;
        if (_initializers.TryGetValue(name, out var tensor))
            _halfInitializers[name] = Float16Values.ToHalf(tensor, half);
        else
            _nodes.Add(Cast(name, half, DataType.Float16));
        _half[name] = half;
        return half;
    }

    /// <summary>The float32 form of a value, cast back from float16 once if it was only made in float16.</summary>
    private string Float32(string name)
    {
        if (_halfOnly.Remove(name)) _nodes.Add(Cast(_half[name], name, DataType.Float));
        return name;
    }

    private static NodeProto Cast(string input, string output, DataType to)
    {
        var node = new NodeProto { OpType = "Cast", Name = $"{output}_Cast", Input = { input }, Output = { output } };
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)to });
        return node;
    }
}
