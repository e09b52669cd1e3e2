using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Heads;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Training;

namespace TransferService.Onnx.Tests.Training;

public sealed class OnnxHeadRuntimeTests
{
    private static readonly OnnxHeadRuntime Runtime = new(TestLanes.Lanes, TestLanes.Schedulers);
    private static readonly TrainingData Train = Blobs.Make(perClass: 40, seed: 1);
    private static readonly TrainingData Validation = Blobs.Make(perClass: 20, seed: 2);

    private static readonly TrainingConfig Linear = new() { Epochs = 10, BatchSize = 16, LearningRate = 0.05f, Seed = 5 };
    private static readonly TrainingConfig Mlp = Linear with
    {
        Architecture = HeadArchitecture.Mlp, HiddenSizes = [32], Dropout = 0.2f, LabelSmoothing = 0.1f,
        ClassWeighting = ClassWeighting.Balanced,
    };

    // A high rate on separable data: validation loss bottoms out and wobbles, so patience ends the run.
    private static readonly TrainingConfig Patient = Linear with { Epochs = 200, LearningRate = 0.5f, EarlyStoppingPatience = 2 };

    public static TheoryData<string> Architectures => ["linear", "mlp"];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Train_SeparableBlobs_ClassifiesValidationPerfectly(string architecture)
    {
        var config = architecture == "mlp" ? Mlp : Linear;

        var result = Runtime.Train(Train, Validation, Blobs.Classes, config, "cpu", TestLanes.Tag, null, CancellationToken.None);

        var best = result.Epochs[result.BestEpoch - 1];
        Assert.Equal(1.0, best.ValidationAccuracy);
        Assert.True(best.ValidationLoss < result.Epochs[0].ValidationLoss || result.BestEpoch == 1);
        using var scorer = Runtime.CreateScorer(result.Weights, 1, "cpu");
        Assert.Equal(Validation.Labels, ArgMax(scorer.Probabilities(Validation.Features, Validation.Count), Blobs.Classes));
    }

    [Fact]
    public void Train_SameSeed_GivesIdenticalWeightsAndAnotherSeedDoesNot()
    {
        var first = Runtime.Train(Train, Validation, Blobs.Classes, Mlp with { Epochs = 3 }, "cpu", TestLanes.Tag, null, CancellationToken.None);
        var again = Runtime.Train(Train, Validation, Blobs.Classes, Mlp with { Epochs = 3 }, "cpu", TestLanes.Tag, null, CancellationToken.None);
        var other = Runtime.Train(Train, Validation, Blobs.Classes, Mlp with { Epochs = 3, Seed = 6 }, "cpu", TestLanes.Tag, null, CancellationToken.None);

        Assert.Equal(first.Weights.Weights.SelectMany(w => w), again.Weights.Weights.SelectMany(w => w));
        Assert.Equal(first.Weights.Biases.SelectMany(b => b), again.Weights.Biases.SelectMany(b => b));
        Assert.NotEqual(first.Weights.Weights[0], other.Weights.Weights[0]);
    }

    [Fact]
    public void TrainTogether_LinearConfigsSideBySide_EachEqualsItsOwnSeparateRunIncludingWhereItStopped()
    {
        // Different rates and decays; the high rate stops early by patience, the low ones run on.
        TrainingConfig[] configs =
        [
            Patient with { Epochs = 40, LearningRate = 0.01f, WeightDecay = 1e-4f },
            Patient with { Epochs = 40, LearningRate = 0.5f, WeightDecay = 0.05f },
            Patient with { Epochs = 40, LearningRate = 0.05f, WeightDecay = 0.3f },
        ];

        var together = Runtime.TrainTogether(Train, Validation, Blobs.Classes, configs, "cpu", TestLanes.Tag, null, CancellationToken.None);

        Assert.Equal(configs.Length, together.Count);
        Assert.NotEqual(together[0].Epochs.Count, together[1].Epochs.Count);
        for (var h = 0; h < configs.Length; h++)
        {
            var alone = Runtime.Train(Train, Validation, Blobs.Classes, configs[h], "cpu", TestLanes.Tag, null, CancellationToken.None);
            Assert.Equal(alone.BestEpoch, together[h].BestEpoch);
            Assert.Equal(alone.Epochs.Count, together[h].Epochs.Count);
            Assert.Equal(alone.Epochs[^1].ValidationLoss, together[h].Epochs[^1].ValidationLoss, 1e-5);
            Assert.Equal(alone.Epochs[^1].TrainLoss, together[h].Epochs[^1].TrainLoss, 1e-5);
            var (a, b) = (alone.Weights.Weights[0], together[h].Weights.Weights[0]);
            Assert.Equal(a.Length, b.Length);
            Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4 * a.Max(Math.Abs), $"head {h} drifted from its separate run");
            Assert.Equal(alone.Weights.Biases[0], together[h].Weights.Biases[0], (x, y) => Math.Abs(x - y) <= 1e-4);
        }
    }

    [Fact]
    public void Train_ReturnsTheBestEpochsWeightsAndReportsEveryEpoch()
    {
        var reported = new List<EpochMetrics>();
        var progress = new SynchronousProgress(reported.Add);

        var result = Runtime.Train(Train, Validation, Blobs.Classes, Patient, "cpu", TestLanes.Tag, progress, CancellationToken.None);

        Assert.Equal(result.Epochs, reported);
        Assert.True(result.BestEpoch < result.Epochs.Count, "the run should have gone on past its best epoch");
        Assert.Equal(result.Epochs.MinBy(e => e.ValidationLoss)!.Epoch, result.BestEpoch);
        // The weights returned score the validation split exactly as the best epoch did.
        using var scorer = Runtime.CreateScorer(result.Weights, 1, "cpu");
        var probabilities = scorer.Probabilities(Validation.Features, Validation.Count);
        var loss = Validation.Labels.Select((y, i) => -Math.Log(probabilities[i * Blobs.Classes + y])).Average();
        Assert.Equal(result.Epochs[result.BestEpoch - 1].ValidationLoss, loss, 1e-4);
    }

    [Fact]
    public void Train_MaxSteps_StopsMidEpochAfterThatManySteps()
    {
        // 120 samples in batches of 50: 3 steps an epoch, the last padded.
        var result = Runtime.Train(Train, Validation, Blobs.Classes, Linear with { BatchSize = 50, MaxSteps = 5 }, "cpu", TestLanes.Tag, null, CancellationToken.None);

        Assert.Equal([3, 5], result.Epochs.Select(e => e.Step));
    }

    [Fact]
    public void Train_Patience_StopsWhenValidationLossStopsImproving()
    {
        var result = Runtime.Train(Train, Validation, Blobs.Classes, Patient, "cpu", TestLanes.Tag, null, CancellationToken.None);

        Assert.True(result.Epochs.Count < 200);
        Assert.Equal(result.BestEpoch + 2, result.Epochs.Count);
    }

    [Fact]
    public void Train_NoValidationSplit_KeepsTheLastEpochWithNaNMetrics()
    {
        var empty = new TrainingData([], [], Blobs.Dimension);

        var result = Runtime.Train(Train, empty, Blobs.Classes, Patient with { Epochs = 4 }, "cpu", TestLanes.Tag, null, CancellationToken.None);

        Assert.Equal((4, 4), (result.Epochs.Count, result.BestEpoch));
        Assert.All(result.Epochs, e => Assert.True(double.IsNaN(e.ValidationLoss) && double.IsNaN(e.ValidationAccuracy)));
        using var scorer = Runtime.CreateScorer(result.Weights, 1, "cpu");
        Assert.Equal(Train.Labels, ArgMax(scorer.Probabilities(Train.Features, Train.Count), Blobs.Classes));
    }

    [Fact]
    public void Train_Cancelled_ThrowsOperationCanceled()
    {
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Runtime.Train(Train, Validation, Blobs.Classes, Linear, "cpu", TestLanes.Tag, null, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Train_LabelOutsideClasses_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Runtime.Train(Train, Validation, classes: 2, Linear, "cpu", TestLanes.Tag, null, CancellationToken.None));

        Assert.Equal("train", error.ParamName);
    }

    private static int[] ArgMax(float[] probabilities, int classes) =>
        [.. Enumerable.Range(0, probabilities.Length / classes)
            .Select(i => Enumerable.Range(0, classes).MaxBy(c => probabilities[i * classes + c]))];

    private sealed class SynchronousProgress(Action<EpochMetrics> report) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value) => report(value);
    }
}
