using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Training;
using DataType = Onnx.TensorProto.Types.DataType;
using Names = TransferService.Onnx.Training.HeadTensorNames;

namespace TransferService.Onnx.Tests.Training;

public sealed class TrainingStepSessionTests
{
    private const int Steps = 5, BatchSize = 6;

    /// <summary>The bound, swapped state sets must give what feeding each step's outputs back as fresh inputs gives;
    /// binding an output over an input it reads silently corrupts an MLP's backward pass.</summary>
    [Fact]
    public void Run_SeveralSteps_EqualsFeedingOutputsBackByHand()
    {
        var lane = new DeviceLaneSet(new LaneOptions { Devices = "cpu", CpuThreads = 1 }, NullLoggerFactory.Instance)["cpu"];
        var spec = new TrainingGraphSpec(16, [8, 3], DataType.Float, 0.1, 0.01, DropoutMasks: true);
        var train = Blobs.Make(perClass: 4, seed: 3);
        var initial = HeadInitializer.Parameters(spec, new Random(1));
        var shapes = spec.StateTensors().ToDictionary(t => t.Name, t => t.Shape);
        var byHand = shapes.ToDictionary(s => s.Key, s => initial.TryGetValue(s.Key, out var p) ? (float[])p.Clone() : new float[Size(s.Value)]);
        using var runner = new GraphRunner(TrainingStepGraph.Build(spec));
        using var session = new TrainingStepSession(spec, lane, train, BatchSize, initial);
        using var snapshot = new SnapshotSession(spec, lane);

        var random = new Random(2);
        for (var step = 1; step <= Steps; step++)
        {
            for (var i = 0; i < BatchSize; i++)
                (session.Inputs.Indices[i], session.Inputs.Labels[i], session.Inputs.SampleWeights[i]) = (i + step, train.Labels[i + step], 1 + i % 2);
            session.Inputs.DrawMasks(0.25f, random);
            session.Inputs.LearningRates[0] = 0.05f;
            session.Run(step);

            var inputs = new Dictionary<string, (Array, long[])>
            {
                [Names.Embeddings] = (train.Features, [train.Count, train.Dimension]),
                [Names.BatchIndices] = ((long[])session.Inputs.Indices.Clone(), [BatchSize]),
                [Names.Labels] = ((long[])session.Inputs.Labels.Clone(), [BatchSize]),
                [Names.SampleWeights] = ((float[])session.Inputs.SampleWeights.Clone(), [BatchSize]),
                [Names.LearningRate] = (new[] { 0.05f }, []),
                [Names.Step] = (new[] { (float)step }, []),
                [Names.DropoutMask(0)] = ((float[])session.Inputs.Masks[0].Clone(), [BatchSize, 8]),
            };
            foreach (var (name, values) in byHand) inputs[name] = (values, shapes[name]);
            var outputs = runner.Run(inputs, [.. byHand.Keys.Select(Names.Next)]);
            foreach (var name in byHand.Keys.ToArray()) byHand[name] = [.. outputs[Names.Next(name)].Select(v => (float)v)];
        }

        var bound = snapshot.Copy(session.Current)[0];
        for (var l = 0; l < spec.Layers; l++)
        {
            Assert.Equal(byHand[Names.Weights(l)], bound.Weights[l]);
            Assert.Equal(byHand[Names.Bias(l)], bound.Biases[l]);
        }
    }

    private static int Size(long[] shape) => (int)shape.Aggregate(1L, (a, d) => a * d);
}
