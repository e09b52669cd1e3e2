namespace TransferService.Onnx.Training;

/// <summary>Appends one AdamW update of a parameter p with gradient g, writing the graph outputs p_next, p_m_next and
/// p_v_next: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr·(m̂/(√v̂+ε) + λp) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
/// The decay is decoupled from the gradient (Loshchilov &amp; Hutter), and biases pass λ = 0.</summary>
internal static class AdamW
{
    public const double Beta1 = 0.9;
    public const double Beta2 = 0.999;
    public const double Epsilon = 1e-8;

    /// <summary>The two bias corrections 1−β₁ᵗ and 1−β₂ᵗ, computed once per graph from the step input.</summary>
    public static (string First, string Second) BiasCorrections(OnnxGraph graph, string step)
    {
        var one = graph.Scalar(1);
        return (graph.Node("Sub", [one, graph.Node("Pow", [graph.Scalar(Beta1), step])]),
            graph.Node("Sub", [one, graph.Node("Pow", [graph.Scalar(Beta2), step])]));
    }

    /// <param name="weightDecay">The decay λ (a scalar or a tensor that broadcasts over the parameter), or null for none.</param>
    public static void Append(OnnxGraph graph, string parameter, string gradient, string? weightDecay, string learningRate,
        (string First, string Second) biasCorrections)
    {
        var m = HeadTensorNames.FirstMoment(parameter);
        var v = HeadTensorNames.SecondMoment(parameter);
        var mNext = HeadTensorNames.Next(m);
        var vNext = HeadTensorNames.Next(v);
        graph.NodeTo("Add", [graph.Node("Mul", [m, graph.Scalar(Beta1)]), graph.Node("Mul", [gradient, graph.Scalar(1 - Beta1)])], mNext);
        var squared = graph.Node("Mul", [gradient, gradient]);
        graph.NodeTo("Add", [graph.Node("Mul", [v, graph.Scalar(Beta2)]), graph.Node("Mul", [squared, graph.Scalar(1 - Beta2)])], vNext);

        var mHat = graph.Node("Div", [mNext, biasCorrections.First]);
        var vHat = graph.Node("Div", [vNext, biasCorrections.Second]);
        var direction = graph.Node("Div", [mHat, graph.Node("Add", [graph.Node("Sqrt", [vHat]), graph.Scalar(Epsilon)])]);
        if (weightDecay is not null) direction = graph.Node("Add", [direction, graph.Node("Mul", [parameter, weightDecay])]);
        graph.NodeTo("Sub", [parameter, graph.Node("Mul", [direction, learningRate])], HeadTensorNames.Next(parameter));
    }
}
