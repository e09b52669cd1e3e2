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

    /// <summary><see cref="AppendTraining"/> for <paramref name="heads"/> heads side by side in logits [B, heads·C]: each
    /// head's softmax runs over its own C columns.</summary>
    /// <returns>The loss of each head [heads] and dlogits [B, heads·C].</returns>
    public static (string Losses, string Gradient) AppendStackedTraining(OnnxGraph graph, string logits, string labels, string sampleWeights,
        int classes, int heads, double smoothing)
    {
        var logProbabilities = graph.Node("LogSoftmax", [PerHead(graph, logits, heads, classes)], Int("axis", 2));
        var probabilities = graph.Node("Exp", [logProbabilities]);
        var target = graph.Node("Add", [
            graph.Node("Mul", [graph.Node("Unsqueeze", [OneHot(graph, labels, classes), graph.Int64s(1)]), graph.Scalar(1 - smoothing)]),
            graph.Scalar(smoothing / classes)]);

        var perSample = graph.Node("Neg", [graph.Node("ReduceSum", [graph.Node("Mul", [target, logProbabilities]), graph.Int64s(2)],
            Int("keepdims", 0))]);
        var weightSum = graph.Node("ReduceSum", [sampleWeights], Int("keepdims", 0));
        var weighted = graph.Node("Mul", [graph.Node("Unsqueeze", [sampleWeights, graph.Int64s(1)]), perSample]);
        var losses = graph.Node("Div", [graph.Node("ReduceSum", [weighted, graph.Int64s(0)], Int("keepdims", 0)), weightSum]);

        var rowScale = graph.Node("Unsqueeze", [graph.Node("Div", [sampleWeights, weightSum]), graph.Int64s(1, 2)]);
        var gradient = graph.Node("Mul", [graph.Node("Sub", [probabilities, target]), rowScale]);
        return (losses, graph.Node("Reshape", [gradient, graph.Int64s(0, -1)]));
    }

    /// <summary><see cref="AppendValidation"/> per head of <paramref name="heads"/> side by side: [heads] loss sums and counts.</summary>
    public static (string LossSums, string Correct) AppendStackedValidation(OnnxGraph graph, string logits, string labels, int classes, int heads)
    {
        var perHead = PerHead(graph, logits, heads, classes);
        var logProbabilities = graph.Node("LogSoftmax", [perHead], Int("axis", 2));
        var oneHot = graph.Node("Unsqueeze", [OneHot(graph, labels, classes), graph.Int64s(1)]);
        var labelLogProbability = graph.Node("ReduceSum", [graph.Node("Mul", [oneHot, logProbabilities]), graph.Int64s(2)], Int("keepdims", 0));
        var lossSums = graph.Node("Neg", [graph.Node("ReduceSum", [labelLogProbability, graph.Int64s(0)], Int("keepdims", 0))]);

        var predicted = graph.Node("ArgMax", [perHead], Int("axis", 2), Int("keepdims", 0));
        var hits = graph.Node("Cast", [graph.Node("Equal", [predicted, graph.Node("Unsqueeze", [labels, graph.Int64s(1)])])], Int("to", (int)graph.ElementType));
        return (lossSums, graph.Node("ReduceSum", [hits, graph.Int64s(0)], Int("keepdims", 0)));
    }

    // [B, heads·C] → [B, heads, C]: head h owns columns h·C … h·C + C − 1.
    private static string PerHead(OnnxGraph graph, string logits, int heads, int classes) =>
        graph.Node("Reshape", [logits, graph.Int64s(0, heads, classes)]);

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
