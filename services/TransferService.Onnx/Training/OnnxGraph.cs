using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Training;

/// <summary>Appends nodes, constants and typed inputs/outputs to a <see cref="GraphProto"/>, naming every generated
/// value with a prefix so that several heads (or a head behind a backbone) can share one graph.
/// <see cref="ElementType"/> is the type of every real-valued tensor: float32 in service, float64 in gradient tests.</summary>
internal sealed class OnnxGraph(GraphProto graph, DataType elementType, string prefix = "")
{
    public const int OpsetVersion = 17;
    public const long IrVersion = 8;

    /// <summary>A dimension left to the bound value, e.g. the batch size.</summary>
    public const long Symbolic = -1;

    private int _counter;

    public GraphProto Proto { get; } = graph;
    public DataType ElementType { get; } = elementType;

    /// <summary>A graph of its own, wrapped in a model at the opset and IR version the head graphs are written for.</summary>
    public static OnnxGraph Create(DataType elementType, string name) => new(new GraphProto { Name = name }, elementType);

    public ModelProto ToModel() => new()
    {
        IrVersion = IrVersion,
        ProducerName = "TransferService",
        Graph = Proto,
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = OpsetVersion } },
    };

    /// <summary>Adds one node with a single, generated output name, and returns that name.</summary>
    public string Node(string op, string[] inputs, params AttributeProto[] attributes)
    {
        var output = NewName(op);
        NodeTo(op, inputs, output, attributes);
        return output;
    }

    /// <summary>Adds one node writing to <paramref name="output"/> (a graph output, usually).</summary>
    public void NodeTo(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{output}_{op}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Proto.Node.Add(node);
    }

    /// <summary>A scalar initializer of the element type.</summary>
    public string Scalar(double value) => Initializer(NewName("const"), [value], []);

    /// <summary>An int64 vector initializer (axes, class indices).</summary>
    public string Int64s(params long[] values)
    {
        var name = NewName("int64s");
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Int64, Dims = { values.Length } };
        tensor.Int64Data.AddRange(values);
        Proto.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An initializer of the element type with the given name and shape (row-major values).</summary>
    public string Initializer(string name, ReadOnlySpan<double> values, long[] dims) =>
        ElementType == DataType.Double ? Raw(name, MemoryMarshal.AsBytes(values), dims) : Initializer(name, ToFloats(values), dims);

    /// <inheritdoc cref="Initializer(string, ReadOnlySpan{double}, long[])"/>
    public string Initializer(string name, ReadOnlySpan<float> values, long[] dims)
    {
        if (ElementType == DataType.Float) return Raw(name, MemoryMarshal.AsBytes(values), dims);
        var doubles = new double[values.Length];
        for (var i = 0; i < doubles.Length; i++) doubles[i] = values[i];
        return Raw(name, MemoryMarshal.AsBytes(doubles.AsSpan()), dims);
    }

    /// <summary>Declares a graph input; a dimension of <see cref="Symbolic"/> gets a name of its own.</summary>
    public void Input(string name, DataType type, params long[] dims) => Proto.Input.Add(ValueInfo(name, type, dims));

    /// <summary>Declares a graph output; shapes are left to ORT's inference.</summary>
    public void Output(string name, DataType type) =>
        Proto.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } } });

    public string NewName(string hint) => $"{prefix}{hint}_{_counter++}";

    // Raw little-endian bytes: the compact encoding, and the one ORT reads without conversion.
    private string Raw(string name, ReadOnlySpan<byte> bytes, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)ElementType, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Proto.Initializer.Add(tensor);
        return name;
    }

    private static float[] ToFloats(ReadOnlySpan<double> values)
    {
        var floats = new float[values.Length];
        for (var i = 0; i < floats.Length; i++) floats[i] = (float)values[i];
        return floats;
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        for (var i = 0; i < dims.Length; i++)
            shape.Dim.Add(dims[i] == Symbolic
                ? new TensorShapeProto.Types.Dimension { DimParam = $"{name}_dim{i}" }
                : new TensorShapeProto.Types.Dimension { DimValue = dims[i] });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
