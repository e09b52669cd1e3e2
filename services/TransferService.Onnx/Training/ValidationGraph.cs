using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;
using Names = TransferService.Onnx.Training.HeadTensorNames;

namespace TransferService.Onnx.Training;

/// <summary>Generates the graph that scores the current parameters on the validation split: X [N,D], y [N] and the
/// parameters in; the summed plain cross-entropy (loss_sum) and the number of correct arg-maxes (correct) out.
/// Sums rather than means, so the host divides by N and an empty split needs no special graph. Stacked heads get a
/// [heads] vector of each.</summary>
internal static class ValidationGraph
{
    public static ModelProto Build(TrainingGraphSpec spec)
    {
        var graph = OnnxGraph.Create(spec.ElementType, "head_validation");
        graph.Input(Names.ValidationEmbeddings, spec.ElementType, OnnxGraph.Symbolic, spec.InputDimension);
        graph.Input(Names.Labels, DataType.Int64, OnnxGraph.Symbolic);
        foreach (var (name, shape) in spec.Parameters()) graph.Input(name, spec.ElementType, shape);

        var forward = HeadForward.Append(graph, Names.ValidationEmbeddings,
            Enumerable.Range(0, spec.Layers).Select(Names.Weights).ToArray(),
            Enumerable.Range(0, spec.Layers).Select(Names.Bias).ToArray());
        var (lossSum, correct) = spec.Stacked
            ? SoftmaxCrossEntropy.AppendStackedValidation(graph, forward.Logits, Names.Labels, spec.Classes, spec.Heads)
            : SoftmaxCrossEntropy.AppendValidation(graph, forward.Logits, Names.Labels);
        graph.NodeTo("Identity", [lossSum], Names.LossSum);
        graph.NodeTo("Identity", [correct], Names.CorrectCount);
        graph.Output(Names.LossSum, spec.ElementType);
        graph.Output(Names.CorrectCount, spec.ElementType);
        return graph.ToModel();
    }
}
