using TransferService.Onnx.Training;
using Names = TransferService.Onnx.Training.HeadTensorNames;

namespace TransferService.Onnx.Tests.Training;

/// <summary>The hand-derived backward pass against central finite differences of the graph's own loss, in float64,
/// with class weights ≠ 1 and label smoothing 0.1.</summary>
public sealed class TrainingStepGraphGradientTests
{
    private const double Step = 1e-5;
    // Below this a gradient component is compared absolutely: finite differences carry ~1e-11 of rounding noise.
    private const double Floor = 1e-4;

    [Theory]
    [InlineData(new[] { 3 }, false)]
    [InlineData(new[] { 7, 3 }, false)]
    [InlineData(new[] { 7, 4, 3 }, true)]
    public void Build_Gradients_MatchCentralFiniteDifferences(int[] layers, bool dropoutMask)
    {
        var head = new TinyHead(TinyHead.Spec64(layers, dropoutMask), count: 12, seed: 7);
        using var runner = new GraphRunner(TrainingStepGraph.Build(head.Spec));
        var parameters = head.Spec.Parameters().Select(p => p.Name).ToArray();
        var analytic = runner.Run(head.Inputs(0, 1), [.. parameters.Select(Names.Gradient)]);

        var worst = 0.0;
        foreach (var parameter in parameters)
        {
            var values = head.State[parameter];
            for (var i = 0; i < values.Length; i++)
            {
                var original = values[i];
                values[i] = original + Step;
                var plus = runner.Run(head.Inputs(0, 1), Names.Loss)[Names.Loss][0];
                values[i] = original - Step;
                var minus = runner.Run(head.Inputs(0, 1), Names.Loss)[Names.Loss][0];
                values[i] = original;

                var numeric = (plus - minus) / (2 * Step);
                var exact = analytic[Names.Gradient(parameter)][i];
                worst = Math.Max(worst, Math.Abs(exact - numeric) / Math.Max(Floor, Math.Max(Math.Abs(exact), Math.Abs(numeric))));
            }
        }

        Assert.InRange(worst, 0, 1e-6);
    }

    [Fact]
    public void Build_Loss_IsWeightedSmoothedCrossEntropy()
    {
        var head = new TinyHead(TinyHead.Spec64([3]), count: 12, seed: 3);
        using var runner = new GraphRunner(TrainingStepGraph.Build(head.Spec));

        var loss = runner.Run(head.Inputs(0, 1), Names.Loss)[Names.Loss][0];

        var logits = Reference.Affine(head.Embeddings, head.Count, head.State["W0"], head.State["b0"], 3);
        double weighted = 0, weightSum = 0;
        for (var i = 0; i < head.Count; i++)
        {
            var logP = Reference.LogSoftmax(logits.AsSpan(i * 3, 3));
            var sample = 0.0;
            for (var c = 0; c < 3; c++) sample -= ((c == head.Labels[i] ? 0.9 : 0) + 0.1 / 3) * logP[c];
            weighted += head.SampleWeights[i] * sample;
            weightSum += head.SampleWeights[i];
        }
        Assert.Equal(weighted / weightSum, loss, 1e-12);
    }
}
