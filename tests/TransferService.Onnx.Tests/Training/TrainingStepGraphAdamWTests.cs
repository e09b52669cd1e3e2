using TransferService.Onnx.Training;
using Names = TransferService.Onnx.Training.HeadTensorNames;

namespace TransferService.Onnx.Tests.Training;

/// <summary>One step of the graph against AdamW written out by hand, for a linear head in float64.</summary>
public sealed class TrainingStepGraphAdamWTests
{
    private const int Classes = 3;
    private const double LearningRate = 0.01, WeightDecay = 0.1, Smoothing = 0.1, StepNumber = 3;

    [Fact]
    public void Build_OneStep_EqualsHandComputedAdamW()
    {
        var head = new TinyHead(TinyHead.Spec64([Classes], gradients: false, smoothing: Smoothing, decay: WeightDecay), count: 6, seed: 11);
        head.State["b0"] = [0.5, -0.5, 0.8];
        using var runner = new GraphRunner(TrainingStepGraph.Build(head.Spec));
        string[] state = [.. head.Spec.StateTensors().Select(t => t.Name)];

        var graph = runner.Run(head.Inputs(LearningRate, StepNumber), [.. state.Select(Names.Next)]);

        var (dW, db) = Gradients(head);
        foreach (var (parameter, gradient, decay) in new[] { ("W0", dW, WeightDecay), ("b0", db, 0.0) })
        {
            var (expected, m, v) = AdamW(head.State[parameter], head.State[parameter + "_m"], head.State[parameter + "_v"], gradient, decay);
            AssertClose(expected, graph[Names.Next(parameter)]);
            AssertClose(m, graph[Names.Next(parameter + "_m")]);
            AssertClose(v, graph[Names.Next(parameter + "_v")]);
        }
        // Biases are not decayed: decay would have moved each by lr·λ·|b| ≥ 5e-4.
        var decayedBias = AdamW(head.State["b0"], head.State["b0_m"], head.State["b0_v"], db, WeightDecay).Parameter;
        Assert.All(decayedBias.Zip(graph["b0_next"]), pair => Assert.InRange(Math.Abs(pair.First - pair.Second), 4e-4, 1));
    }

    // dlogits = w (p − q) / Σw; dW = Xᵀ·dlogits; db = Σ rows.
    private static (double[] dW, double[] db) Gradients(TinyHead head)
    {
        var d = head.Spec.InputDimension;
        var logits = Reference.Affine(head.Embeddings, head.Count, head.State["W0"], head.State["b0"], Classes);
        var weightSum = head.SampleWeights.Sum();
        var dW = new double[d * Classes];
        var db = new double[Classes];
        for (var i = 0; i < head.Count; i++)
        {
            var logP = Reference.LogSoftmax(logits.AsSpan(i * Classes, Classes));
            for (var c = 0; c < Classes; c++)
            {
                var q = (c == head.Labels[i] ? 1 - Smoothing : 0) + Smoothing / Classes;
                var dLogit = head.SampleWeights[i] * (Math.Exp(logP[c]) - q) / weightSum;
                db[c] += dLogit;
                for (var k = 0; k < d; k++) dW[k * Classes + c] += head.Embeddings[i * d + k] * dLogit;
            }
        }
        return (dW, db);
    }

    private static (double[] Parameter, double[] M, double[] V) AdamW(double[] theta, double[] m0, double[] v0, double[] g, double decay)
    {
        var (theta1, m1, v1) = (new double[theta.Length], new double[theta.Length], new double[theta.Length]);
        for (var i = 0; i < theta.Length; i++)
        {
            m1[i] = 0.9 * m0[i] + 0.1 * g[i];
            v1[i] = 0.999 * v0[i] + 0.001 * g[i] * g[i];
            var mHat = m1[i] / (1 - Math.Pow(0.9, StepNumber));
            var vHat = v1[i] / (1 - Math.Pow(0.999, StepNumber));
            theta1[i] = theta[i] - LearningRate * (mHat / (Math.Sqrt(vHat) + 1e-8) + decay * theta[i]);
        }
        return (theta1, m1, v1);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.InRange(Math.Abs(expected[i] - actual[i]), 0, 1e-6 * Math.Max(1, Math.Abs(expected[i])));
    }
}
