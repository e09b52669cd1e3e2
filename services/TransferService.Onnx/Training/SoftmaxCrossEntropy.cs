using static TransferService.Onnx.Training.OnnxAttributes;

namespace TransferService.Onnx.Training;

/// <summary>Softmax cross-entropy on logits [B,C] and int64 labels [B]: the weighted, label-smoothed training loss
/// with its gradient, and the plain validation loss with the count of correct predictions.</summary>
internal static class SoftmaxCrossEntropy
{
    /// <summary>L = Σᵢ wᵢ Σ_c −q_ic log p_ic / Σᵢ wᵢ with q = (1−ε)·onehot + ε/C, and dL/dlogits = w (p − q) / Σw.</summary>
    /// <returns>The scalar loss and dlogits [B,C].</returns>
    public static (string Loss, string Gradient) AppendTraining(OnnxGraph graph, string logits, string labels, string sampleWeights,
        int classes, double smoothing)
    {
        var logProbabilities = graph.Node("LogSoftmax", [logits], Int("axis", 1));
        var probabilities = graph.Node("Exp", [logProbabilities]);
        var target = graph.Node("Add", [
            graph.Node("Mul", [OneHot(graph, labels, classes), graph.Scalar(1 - smoothing)]),
            graph.Scalar(smoothing / classes)]);

        var perSample = graph.Node("Neg", [graph.Node("ReduceSum", [graph.Node("Mul", [target, logProbabilities]), graph.Int64s(1)],
            Int("keepdims", 0))]);
        // ReduceSum with no axes input reduces every axis: a scalar.
        var weightSum = graph.Node("ReduceSum", [sampleWeights], Int("keepdims", 0));
        var loss = graph.Node("Div", [graph.Node("ReduceSum", [graph.Node("Mul", [sampleWeights, perSample])], Int("keepdims", 0)), weightSum]);

        var rowScale = graph.Node("Unsqueeze", [graph.Node("Div", [sampleWeights, weightSum]), graph.Int64s(1)]);
        var gradient = graph.Node("Mul", [graph.Node("Sub", [probabilities, target]), rowScale]);
        return (loss, gradient);
    }

    /// <summary>Σᵢ −log p_{i,yᵢ} (no weights, no smoothing) and the number of rows whose arg-max is the label.</summary>
    public static (string LossSum, string Correct) AppendValidation(OnnxGraph graph, string logits, string labels)
    {
        var logProbabilities = graph.Node("LogSoftmax", [logits], Int("axis", 1));
        var column = graph.Node("Unsqueeze", [labels, graph.Int64s(1)]);
        var labelLogProbability = graph.Node("GatherElements", [logProbabilities, column], Int("axis", 1));
        var lossSum = graph.Node("Neg", [graph.Node("ReduceSum", [labelLogProbability], Int("keepdims", 0))]);

        var predicted = graph.Node("ArgMax", [logits], Int("axis", 1), Int("keepdims", 0));
        var hits = graph.Node("Cast", [graph.Node("Equal", [predicted, labels])], Int("to", (int)graph.ElementType));
        var correct = graph.Node("ReduceSum", [hits], Int("keepdims", 0));
        return (lossSum, correct);
    }

    // OneHot has no float64 kernel on the CPU EP; Equal against 0..C-1 does the same for every element type.
    private static string OneHot(OnnxGraph graph, string labels, int classes)
    {
        var column = graph.Node("Unsqueeze", [labels, graph.Int64s(1)]);
        var classIndices = graph.Int64s([.. Enumerable.Range(0, classes).Select(c => (long)c)]);
        return graph.Node("Cast", [graph.Node("Equal", [column, classIndices])], Int("to", (int)graph.ElementType));
    }
}
