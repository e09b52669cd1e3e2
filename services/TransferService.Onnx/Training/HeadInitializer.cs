namespace TransferService.Onnx.Training;

/// <summary>Initial parameters and per-class loss weights for a training run.</summary>
internal static class HeadInitializer
{
    /// <summary>Weights uniform in ±√(6/in) (He) for layers followed by a ReLU and ±√(6/(in+out)) (Glorot) for the
    /// logits layer; biases zero. Drawn layer by layer, row-major, from <paramref name="random"/>, so a seed fixes them.
    /// Stacked heads all start from the one draw a single run with the same generator makes, so each trains exactly as
    /// it would alone (the batches that follow come from the same generator state too).</summary>
    public static Dictionary<string, float[]> Parameters(TrainingGraphSpec spec, Random random)
    {
        if (spec.Stacked) return SideBySide(Parameters(spec with { StackedWeightDecays = null }, random), spec);
        var parameters = new Dictionary<string, float[]>();
        for (var l = 0; l < spec.Layers; l++)
        {
            int fanIn = spec.LayerInput(l), fanOut = spec.LayerSizes[l];
            var bound = l < spec.Layers - 1 ? Math.Sqrt(6.0 / fanIn) : Math.Sqrt(6.0 / (fanIn + fanOut));
            var weights = new float[fanIn * spec.LayerWidth(l)];
            for (var i = 0; i < weights.Length; i++) weights[i] = (float)((2 * random.NextDouble() - 1) * bound);
            parameters[HeadTensorNames.Weights(l)] = weights;
            parameters[HeadTensorNames.Bias(l)] = new float[spec.LayerWidth(l)];
        }
        return parameters;
    }

    private static Dictionary<string, float[]> SideBySide(Dictionary<string, float[]> single, TrainingGraphSpec spec)
    {
        var (classes, width) = (spec.Classes, spec.LayerWidth(0));
        var weights = new float[spec.InputDimension * width];
        var one = single[HeadTensorNames.Weights(0)];
        for (var row = 0; row < spec.InputDimension; row++)
            for (var h = 0; h < spec.Heads; h++) Array.Copy(one, row * classes, weights, row * width + h * classes, classes);
        return new Dictionary<string, float[]> { [HeadTensorNames.Weights(0)] = weights, [HeadTensorNames.Bias(0)] = new float[width] };
    }

    /// <summary>None: 1 for every class. Balanced: N / (C · n_c), 0 for a class with no training sample (never used).</summary>
    public static float[] ClassWeights(Core.Heads.ClassWeighting weighting, int[] labels, int classes)
    {
        var weights = new float[classes];
        if (weighting == Core.Heads.ClassWeighting.None)
        {
            Array.Fill(weights, 1f);
            return weights;
        }
        var counts = new int[classes];
        foreach (var label in labels) counts[label]++;
        for (var c = 0; c < classes; c++)
            weights[c] = counts[c] == 0 ? 0 : (float)((double)labels.Length / (classes * (double)counts[c]));
        return weights;
    }
}
