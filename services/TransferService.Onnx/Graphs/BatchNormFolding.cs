using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Graphs;

/// <summary>Folds each inference BatchNormalization that follows a Conv into the Conv's weights and bias, in float64,
/// before a float16 conversion: a normalisation's running variance can be far below float16's smallest normal
/// (6.1e-5), and rounding it there moved resnet18's embeddings to a cosine of 0.998 against fp32; folded first,
/// only the final weights are rounded (cosine 0.999999). ONNX Runtime folds the same pairs itself in float32.</summary>
internal static class BatchNormFolding
{
    public static void Fold(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var uses = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name))
            .GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        foreach (var norm in graph.Node.Where(n => n.OpType == "BatchNormalization" && n.Output.Count == 1).ToArray())
        {
            if (!producers.TryGetValue(norm.Input[0], out var conv) || conv.OpType != "Conv" || uses[conv.Output[0]] != 1) continue;
            var parameters = norm.Input.Skip(1).Select(n => initializers.GetValueOrDefault(n)).ToArray();
            if (parameters.Any(p => p is null) || !initializers.TryGetValue(conv.Input[1], out var weights) || uses[weights.Name] != 1) continue;
            var bias = conv.Input.Count > 2 ? initializers.GetValueOrDefault(conv.Input[2]) : null;
            if (conv.Input.Count > 2 && (bias is null || uses[bias.Name] != 1)) continue;
            var epsilon = ElementTypes.Attribute(norm, "epsilon")?.F ?? 1e-5f;
            var (w, b) = Folded(Float16Values.Read(weights), bias is null ? null : Float16Values.Read(bias), parameters.Select(p => Float16Values.Read(p!)).ToArray(), epsilon);
            Float16Values.Write(weights, w);
            var biasName = bias?.Name ?? weights.Name + "_folded_bias";
            if (bias is null)
            {
                graph.Initializer.Add(bias = new TensorProto { Name = biasName, DataType = (int)DataType.Float, Dims = { b.Length } });
                conv.Input.Add(biasName);
            }
            Float16Values.Write(bias, b);
            conv.Output[0] = norm.Output[0];
            graph.Node.Remove(norm);
        }
    }

    /// <summary>Per output channel m: f = scale/√(var+ε); W'[m] = W[m]·f; b' = (b − mean)·f + B.</summary>
    private static (float[] Weights, float[] Bias) Folded(float[] w, float[]? b, float[][] p, float epsilon)
    {
        var (scale, shift, mean, variance) = (p[0], p[1], p[2], p[3]);
        var channels = scale.Length;
        var perChannel = w.Length / channels;
        var bias = new float[channels];
        for (var m = 0; m < channels; m++)
        {
            var factor = scale[m] / Math.Sqrt(variance[m] + (double)epsilon);
            for (var i = m * perChannel; i < (m + 1) * perChannel; i++) w[i] = (float)(w[i] * factor);
            bias[m] = (float)(((b?[m] ?? 0) - mean[m]) * factor + shift[m]);
        }
        return (w, bias);
    }
}
