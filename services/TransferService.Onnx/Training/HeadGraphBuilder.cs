using Onnx;
using TransferService.Core.Heads;
using static TransferService.Onnx.Training.OnnxAttributes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Training;

/// <summary>Builds a trained head's inference graph: X [N,D] → softmax(logits / T) [N,C], float32, the weights as
/// initializers. It uses only Gemm (with C), Relu, Div and Softmax over axis 1 of a 2-D tensor, whose meaning is the
/// same from opset 8 to 17, so the export can merge it into an older backbone graph: keep it that way.
/// The training, validation and snapshot graphs are internal (<see cref="TrainingStepGraph"/>,
/// <see cref="ValidationGraph"/>, <see cref="SnapshotGraph"/>).</summary>
public static class HeadGraphBuilder
{
    public const string InferenceInput = "X";

    /// <summary>Appends the head's nodes and initializers to <paramref name="graph"/>, reading the float32 tensor
    /// <paramref name="input"/> [N,D]; every name added starts with <paramref name="prefix"/>, which must make them unique
    /// in the graph (append two heads with two prefixes). Declares no graph output: the caller names what the model returns.</summary>
    /// <returns>The name of the probabilities [N,C].</returns>
    public static string AppendInference(GraphProto graph, string input, HeadWeights weights, float temperature, string prefix)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        if (weights.Weights.Length != weights.LayerSizes.Length || weights.Biases.Length != weights.LayerSizes.Length)
            throw new ArgumentException($"the head has {weights.LayerSizes.Length} layers but {weights.Weights.Length} weights and {weights.Biases.Length} biases", nameof(weights));
        var onnx = new OnnxGraph(graph, DataType.Float, prefix);
        var names = new (string W, string B)[weights.LayerSizes.Length];
        var inputSize = weights.InputDimension;
        for (var l = 0; l < names.Length; l++)
        {
            var outputSize = weights.LayerSizes[l];
            if (weights.Weights[l].Length != inputSize * outputSize || weights.Biases[l].Length != outputSize)
                throw new ArgumentException($"layer {l} of the head weights is not [{inputSize},{outputSize}] with {outputSize} biases", nameof(weights));
            names[l] = (onnx.Initializer($"{prefix}{HeadTensorNames.Weights(l)}", weights.Weights[l], [inputSize, outputSize]),
                onnx.Initializer($"{prefix}{HeadTensorNames.Bias(l)}", weights.Biases[l], [outputSize]));
            inputSize = outputSize;
        }
        var forward = HeadForward.Append(onnx, input, [.. names.Select(n => n.W)], [.. names.Select(n => n.B)]);
        var scaled = onnx.Node("Div", [forward.Logits, onnx.Scalar(temperature)]);
        var output = $"{prefix}probabilities";
        onnx.NodeTo("Softmax", [scaled], output, Int("axis", 1));
        return output;
    }

    /// <summary>The inference graph alone, as a model with input <see cref="InferenceInput"/> and one output.</summary>
    internal static ModelProto InferenceModel(HeadWeights weights, float temperature)
    {
        var graph = OnnxGraph.Create(DataType.Float, "head_inference");
        graph.Input(InferenceInput, DataType.Float, OnnxGraph.Symbolic, weights.InputDimension);
        var output = AppendInference(graph.Proto, InferenceInput, weights, temperature, "head_");
        graph.Output(output, DataType.Float);
        return graph.ToModel();
    }
}
