using Onnx;
using static TransferService.Onnx.Training.OnnxAttributes;
using DataType = Onnx.TensorProto.Types.DataType;
using Names = TransferService.Onnx.Training.HeadTensorNames;

namespace TransferService.Onnx.Training;

/// <summary>Generates the graph of one AdamW training step: gather the batch from the resident embeddings, forward,
/// weighted label-smoothed cross-entropy, hand-derived backward, and the update of every parameter and moment.
/// ORT's training package is gone, so the backward pass is written out here as ordinary ONNX ops.</summary>
internal static class TrainingStepGraph
{
    public static ModelProto Build(TrainingGraphSpec spec)
    {
        var graph = OnnxGraph.Create(spec.ElementType, "head_training_step");
        var type = spec.ElementType;
        const long any = OnnxGraph.Symbolic;
        graph.Input(Names.Embeddings, type, any, spec.InputDimension);
        graph.Input(Names.BatchIndices, DataType.Int64, any);
        graph.Input(Names.Labels, DataType.Int64, any);
        graph.Input(Names.SampleWeights, type, any);
        // Heads trained together each have their own learning rate (0 freezes one that has stopped).
        if (spec.Stacked) graph.Input(Names.LearningRate, type, spec.Heads);
        else graph.Input(Names.LearningRate, type);
        graph.Input(Names.Step, type);
        foreach (var (name, shape) in spec.StateTensors()) graph.Input(name, type, shape);
        var masks = spec.DropoutMasks ? Enumerable.Range(0, spec.Layers - 1).Select(Names.DropoutMask).ToArray() : null;
        for (var l = 0; masks is not null && l < masks.Length; l++) graph.Input(masks[l], type, any, spec.LayerSizes[l]);

        var batch = graph.Node("Gather", [Names.Embeddings, Names.BatchIndices], Int("axis", 0));
        var weights = Enumerable.Range(0, spec.Layers).Select(Names.Weights).ToArray();
        var biases = Enumerable.Range(0, spec.Layers).Select(Names.Bias).ToArray();
        var forward = HeadForward.Append(graph, batch, weights, biases, masks);
        var (loss, dLogits) = spec.Stacked
            ? SoftmaxCrossEntropy.AppendStackedTraining(graph, forward.Logits, Names.Labels, Names.SampleWeights, spec.Classes, spec.Heads, spec.LabelSmoothing)
            : SoftmaxCrossEntropy.AppendTraining(graph, forward.Logits, Names.Labels, Names.SampleWeights, spec.Classes, spec.LabelSmoothing);
        graph.NodeTo("Identity", [loss], Names.Loss);
        graph.Output(Names.Loss, type);

        var corrections = AdamW.BiasCorrections(graph, Names.Step);
        var (learningRate, decay) = spec.Stacked ? PerColumn(graph, spec) : (Names.LearningRate, spec.WeightDecay == 0 ? null : graph.Scalar(spec.WeightDecay));
        var dPre = dLogits;
        for (var l = spec.Layers - 1; l >= 0; l--)
        {
            var dW = graph.Node("Gemm", [forward.LayerInputs[l], dPre], Int("transA", 1));
            var db = graph.Node("ReduceSum", [dPre, graph.Int64s(0)], Int("keepdims", 0));
            // The input gradient is read before any update: the updates write new outputs, never W_l itself.
            if (l > 0) dPre = HiddenGradient(graph, graph.Node("Gemm", [dPre, weights[l]], Int("transB", 1)), forward.PreActivations[l - 1], masks?[l - 1]);
            AppendUpdate(graph, spec, weights[l], dW, decay, learningRate, corrections);
            AppendUpdate(graph, spec, biases[l], db, null, learningRate, corrections);
        }
        return graph.ToModel();
    }

    // dZ = dH ⊙ mask ⊙ (Z > 0): dropout came after the ReLU, so both gates apply.
    private static string HiddenGradient(OnnxGraph graph, string dHidden, string preActivation, string? mask)
    {
        if (mask is not null) dHidden = graph.Node("Mul", [dHidden, mask]);
        var active = graph.Node("Cast", [graph.Node("Greater", [preActivation, graph.Scalar(0)])], Int("to", (int)graph.ElementType));
        return graph.Node("Mul", [dHidden, active]);
    }

    // Stacked heads: each head's learning rate and decay repeated over its C columns of the logits layer.
    private static (string LearningRate, string Decay) PerColumn(OnnxGraph graph, TrainingGraphSpec spec)
    {
        var columns = graph.Int64s(spec.Heads * spec.Classes);
        var learningRate = graph.Node("Reshape", [
            graph.Node("Expand", [graph.Node("Unsqueeze", [Names.LearningRate, graph.Int64s(1)]), graph.Int64s(spec.Heads, spec.Classes)]), columns]);
        var decays = spec.StackedWeightDecays!.SelectMany(d => Enumerable.Repeat(d, spec.Classes)).ToArray();
        return (learningRate, graph.Initializer(graph.NewName("decay"), decays, [spec.Heads * spec.Classes]));
    }

    private static void AppendUpdate(OnnxGraph graph, TrainingGraphSpec spec, string parameter, string gradient, string? decay,
        string learningRate, (string, string) corrections)
    {
        AdamW.Append(graph, parameter, gradient, decay, learningRate, corrections);
        foreach (var state in new[] { parameter, Names.FirstMoment(parameter), Names.SecondMoment(parameter) })
            graph.Output(Names.Next(state), spec.ElementType);
        if (!spec.EmitGradients) return;
        graph.NodeTo("Identity", [gradient], Names.Gradient(parameter));
        graph.Output(Names.Gradient(parameter), spec.ElementType);
    }
}
