namespace TransferService.Onnx.Tests.Training;

/// <summary>Plain C# versions of the head's maths, written for clarity, to compare the graphs with.</summary>
internal static class Reference
{
    /// <summary>X [n,in] · W [in,out] + b, row-major.</summary>
    public static double[] Affine(IReadOnlyList<double> x, int n, IReadOnlyList<double> w, IReadOnlyList<double> b, int outputs)
    {
        var inputs = x.Count / n;
        var result = new double[n * outputs];
        for (var i = 0; i < n; i++)
            for (var o = 0; o < outputs; o++)
            {
                var sum = b[o];
                for (var k = 0; k < inputs; k++) sum += x[i * inputs + k] * w[k * outputs + o];
                result[i * outputs + o] = sum;
            }
        return result;
    }

    public static double[] LogSoftmax(ReadOnlySpan<double> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var z in logits) max = Math.Max(max, z);
        var sum = 0.0;
        foreach (var z in logits) sum += Math.Exp(z - max);
        var result = new double[logits.Length];
        for (var c = 0; c < logits.Length; c++) result[c] = logits[c] - max - Math.Log(sum);
        return result;
    }

    /// <summary>softmax(forward(X) / T) of a float head, computed in double: ReLU between layers.</summary>
    public static double[] Probabilities(float[] x, int n, Core.Heads.HeadWeights head, float temperature)
    {
        IReadOnlyList<double> current = [.. x.Select(v => (double)v)];
        for (var l = 0; l < head.LayerSizes.Length; l++)
        {
            var next = Affine(current, n, [.. head.Weights[l].Select(v => (double)v)], [.. head.Biases[l].Select(v => (double)v)], head.LayerSizes[l]);
            current = l < head.LayerSizes.Length - 1 ? [.. next.Select(v => Math.Max(0, v))] : next;
        }
        var classes = head.Classes;
        var result = new double[n * classes];
        for (var i = 0; i < n; i++)
        {
            var logP = LogSoftmax([.. Enumerable.Range(0, classes).Select(c => current[i * classes + c] / temperature)]);
            for (var c = 0; c < classes; c++) result[i * classes + c] = Math.Exp(logP[c]);
        }
        return result;
    }
}
