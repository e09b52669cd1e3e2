namespace TransferService.Onnx.Training;

/// <summary>The values of one forward pass that the backward pass reads again: each layer's input and pre-activation.</summary>
internal sealed record ForwardPass(string[] LayerInputs, string[] PreActivations)
{
    public string Logits => PreActivations[^1];
}

/// <summary>Appends a head's forward pass: Gemm per layer, ReLU between layers, and (in training) multiplication by a
/// dropout mask that already carries the 1/(1−p) scale. Shared by the training, validation and inference graphs so
/// that all three compute the same function.</summary>
internal static class HeadForward
{
    /// <param name="weights">Name of W_l [in,out] per layer (graph inputs or initializers).</param>
    /// <param name="biases">Name of b_l [out] per layer.</param>
    /// <param name="masks">Name of the dropout mask [B,hidden] per hidden layer, or null for none.</param>
    public static ForwardPass Append(OnnxGraph graph, string input, IReadOnlyList<string> weights, IReadOnlyList<string> biases,
        IReadOnlyList<string>? masks = null)
    {
        var layers = weights.Count;
        var inputs = new string[layers];
        var pre = new string[layers];
        var current = input;
        for (var l = 0; l < layers; l++)
        {
            inputs[l] = current;
            pre[l] = graph.Node("Gemm", [current, weights[l], biases[l]]);
            if (l == layers - 1) break;
            current = graph.Node("Relu", [pre[l]]);
            if (masks is not null) current = graph.Node("Mul", [current, masks[l]]);
        }
        return new ForwardPass(inputs, pre);
    }
}
