using Microsoft.Extensions.Logging.Abstractions;
using Onnx;
using TransferService.Core.Heads;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Training;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Tests.Training;

public sealed class OnnxHeadScorerTests
{
    private static readonly DeviceLane Cpu = TestLanes.Lanes["cpu"];
    private static readonly Core.Scheduling.LaneScheduler CpuScheduler = TestLanes.Schedulers["cpu"];

    [Theory]
    [InlineData(new[] { 4 }, 1f)]
    [InlineData(new[] { 4 }, 2.5f)]
    [InlineData(new[] { 9, 6, 4 }, 0.5f)]
    public void Probabilities_EqualSoftmaxOfTheForwardPassOverTemperature(int[] layers, float temperature)
    {
        var head = RandomHead(inputs: 8, layers, seed: 3);
        var x = RandomValues(new Random(4), 7 * 8, 2);
        using var scorer = new OnnxHeadScorer(head, temperature, Cpu, CpuScheduler);

        var probabilities = scorer.Probabilities(x, 7);

        AssertClose(Reference.Probabilities(x, 7, head, temperature), probabilities);
    }

    [Fact]
    public void Probabilities_WrongEmbeddingCount_ThrowsArgumentException()
    {
        using var scorer = new OnnxHeadScorer(RandomHead(8, [4], 1), 1, Cpu, CpuScheduler);

        Assert.Throws<ArgumentException>(() => scorer.Probabilities(new float[15], 2));
    }

    [Fact]
    public void AppendInference_BehindAnotherGraphsOutput_ScoresThatOutput()
    {
        var head = RandomHead(inputs: 8, [5, 3], seed: 9);
        var model = new ModelProto
        {
            IrVersion = 8, OpsetImport = { new OperatorSetIdProto { Version = 17 } },
            Graph = new GraphProto { Name = "backbone" },
        };
        var graph = new OnnxGraph(model.Graph, DataType.Float);
        graph.Input("pixels", DataType.Float, OnnxGraph.Symbolic, 8);
        graph.NodeTo("Neg", ["pixels"], "features");

        var output = HeadGraphBuilder.AppendInference(model.Graph, "features", head, 1.5f, "head/");
        graph.Output(output, DataType.Float);

        var x = RandomValues(new Random(2), 3 * 8, 1);
        using var runner = new GraphRunner(model);
        var probabilities = runner.Run(new Dictionary<string, (Array, long[])> { ["pixels"] = (x, [3, 8]) }, output)[output];
        AssertClose(Reference.Probabilities([.. x.Select(v => -v)], 3, head, 1.5f), [.. probabilities.Select(p => (float)p)]);
        Assert.All(model.Graph.Initializer, i => Assert.StartsWith("head/", i.Name));
    }

    private static HeadWeights RandomHead(int inputs, int[] layers, int seed)
    {
        var random = new Random(seed);
        var sizes = new[] { inputs }.Concat(layers).ToArray();
        return new HeadWeights(inputs, layers,
            [.. layers.Select((o, l) => RandomValues(random, sizes[l] * o, 1))],
            [.. layers.Select(o => RandomValues(random, o, 0.5))]);
    }

    private static float[] RandomValues(Random random, int count, double scale) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)((2 * random.NextDouble() - 1) * scale))];

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.InRange(Math.Abs(expected[i] - actual[i]), 0, 1e-5);
    }
}
