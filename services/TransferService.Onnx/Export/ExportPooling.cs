using Onnx;
using TransferService.Core.Backbones;
using TransferService.Onnx.Training;
using static TransferService.Onnx.Training.OnnxAttributes;

namespace TransferService.Onnx.Export;

/// <summary>The manifest's pooling and normalisation as ONNX nodes appended behind a backbone graph, written
/// for the backbone's own opset (axes are attributes before opset 13 and inputs from it), so the merged
/// model keeps the backbone's operator semantics.</summary>
internal static class ExportPooling
{
    /// <returns>The pooled (and, when the manifest says so, L2-normalised) embedding [N,D].</returns>
    public static string Append(OnnxGraph graph, BackboneManifest manifest, long opset)
    {
        var output = manifest.Output;
        var pooled = manifest.Pooling switch
        {
            Pooling.None => graph.Node("Flatten", [output], Int("axis", 1)),
            Pooling.SpatialMean => graph.Node("Flatten", [Reduce(graph, "ReduceMean", output, [2, 3], 0, opset)], Int("axis", 1)),
            Pooling.Cls => graph.Node("Gather", [output, graph.Int64s(0)], Int("axis", 1)),
            _ => MaskedMean(graph, output, manifest.Text!.AttentionMask, opset),
        };
        if (manifest.Pooling == Pooling.Cls) pooled = Squeeze(graph, pooled, 1, opset);
        return manifest.Normalize ? L2Normalize(graph, pooled, opset) : pooled;
    }

    /// <summary>Σ_s h[n,s,:]·mask[n,s] / max(Σ_s mask[n,s], ε).</summary>
    private static string MaskedMean(OnnxGraph graph, string hidden, string maskInput, long opset)
    {
        var mask = graph.Node("Cast", [maskInput], Int("to", (long)TensorProto.Types.DataType.Float));
        var masked = graph.Node("Mul", [hidden, Unsqueeze(graph, mask, 2, opset)]);
        var sum = ReduceSum(graph, masked, 1, opset);
        var count = graph.Node("Max", [ReduceSum(graph, mask, 1, opset), graph.Scalar(1e-9)]);
        return graph.Node("Div", [sum, Unsqueeze(graph, count, 1, opset)]);
    }

    private static string L2Normalize(OnnxGraph graph, string x, long opset)
    {
        var norm = Reduce(graph, "ReduceL2", x, [1], 1, opset);
        return graph.Node("Div", [x, graph.Node("Max", [norm, graph.Scalar(1e-12)])]);
    }

    /// <summary>ReduceMean and ReduceL2 take their axes as an input from opset 18 (ReduceSum from 13).</summary>
    private static string Reduce(OnnxGraph graph, string op, string x, long[] axes, long keepdims, long opset) => opset >= 18
        ? graph.Node(op, [x, graph.Int64s(axes)], Int("keepdims", keepdims))
        : graph.Node(op, [x], Ints("axes", axes), Int("keepdims", keepdims));

    private static string ReduceSum(OnnxGraph graph, string x, long axis, long opset) => opset >= 13
        ? graph.Node("ReduceSum", [x, graph.Int64s(axis)], Int("keepdims", 0))
        : graph.Node("ReduceSum", [x], Ints("axes", axis), Int("keepdims", 0));

    private static string Unsqueeze(OnnxGraph graph, string x, long axis, long opset) => opset >= 13
        ? graph.Node("Unsqueeze", [x, graph.Int64s(axis)])
        : graph.Node("Unsqueeze", [x], Ints("axes", axis));

    private static string Squeeze(OnnxGraph graph, string x, long axis, long opset) => opset >= 13
        ? graph.Node("Squeeze", [x, graph.Int64s(axis)])
        : graph.Node("Squeeze", [x], Ints("axes", axis));
}
