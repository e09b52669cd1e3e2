using DataType = Onnx.TensorProto.Types.DataType;
using Names = TransferService.Onnx.Training.HeadTensorNames;
using TransferService.Onnx.Training;

namespace TransferService.Onnx.Tests.Training;

/// <summary>Small random float64 problems fed straight to the training-step graph: the whole dataset is one batch.</summary>
internal sealed class TinyHead
{
    public TinyHead(TrainingGraphSpec spec, int count, int seed)
    {
        Spec = spec;
        var random = new Random(seed);
        Count = count;
        Embeddings = Draw(random, count * spec.InputDimension, 1.0);
        Labels = [.. Enumerable.Range(0, count).Select(i => (long)(i % spec.Classes))];
        double[] classWeights = [.. Enumerable.Range(0, spec.Classes).Select(c => 0.5 + 0.7 * c)];
        SampleWeights = [.. Labels.Select(l => classWeights[l])];
        foreach (var (name, shape) in spec.StateTensors())
        {
            var size = (int)shape.Aggregate(1L, (a, d) => a * d);
            // Moments are positive (v must be) and nonzero, so the update reads them.
            State[name] = name.EndsWith("_m") ? Draw(random, size, 0.01) : name.EndsWith("_v") ? Draw(random, size, 0.01).Select(Math.Abs).ToArray() : Draw(random, size, 0.5);
        }
        for (var l = 0; spec.DropoutMasks && l < spec.Layers - 1; l++)
            Masks[Names.DropoutMask(l)] = [.. Enumerable.Range(0, count * spec.LayerSizes[l]).Select(_ => random.NextDouble() < 0.3 ? 0 : 1 / 0.7)];
    }

    public TrainingGraphSpec Spec { get; }
    public int Count { get; }
    public double[] Embeddings { get; }
    public long[] Labels { get; }
    public double[] SampleWeights { get; }
    public Dictionary<string, double[]> State { get; } = [];
    public Dictionary<string, double[]> Masks { get; } = [];

    public static TrainingGraphSpec Spec64(int[] layers, bool dropout = false, bool gradients = true, double smoothing = 0.1, double decay = 0.01) =>
        new(5, layers, DataType.Double, smoothing, decay, dropout, gradients);

    public Dictionary<string, (Array, long[])> Inputs(double learningRate, double step)
    {
        var inputs = new Dictionary<string, (Array, long[])>
        {
            [Names.Embeddings] = (Embeddings, [Count, Spec.InputDimension]),
            [Names.BatchIndices] = (Enumerable.Range(0, Count).Select(i => (long)i).ToArray(), [Count]),
            [Names.Labels] = (Labels, [Count]),
            [Names.SampleWeights] = (SampleWeights, [Count]),
            [Names.LearningRate] = (new[] { learningRate }, []),
            [Names.Step] = (new[] { step }, []),
        };
        var shapes = Spec.StateTensors().ToDictionary(t => t.Name, t => t.Shape);
        foreach (var (name, values) in State) inputs[name] = (values, shapes[name]);
        for (var l = 0; l < Masks.Count; l++) inputs[Names.DropoutMask(l)] = (Masks[Names.DropoutMask(l)], [Count, Spec.LayerSizes[l]]);
        return inputs;
    }

    private static double[] Draw(Random random, int size, double scale) =>
        [.. Enumerable.Range(0, size).Select(_ => (2 * random.NextDouble() - 1) * scale)];
}
