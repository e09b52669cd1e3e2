using System.Diagnostics;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TransferService.Tests.Heads;

/// <summary>TrainHead without config: the default search on real embeddings (the Fashion-MNIST set the shared heads
/// already embedded, so the cache serves it), its stored record, and the head's accuracy on held-out test images.</summary>
[Collection(ServerCollection.Name)]
public sealed class HeadSearchTests(ServerFixture server, ITestOutputHelper output)
{
    private readonly HeadWorkflow _workflow = new(server);

    [Fact]
    public async Task TrainHead_NoConfigOnFashionMnist_SearchesRefitsAndBeatsTheHandPickedHead()
    {
        var heads = await TrainedHeads.GetAsync(server);
        var clock = Stopwatch.StartNew();
        await _workflow.TrainAsync(new TrainHeadRequest { Name = "fashion-default", Backbone = "resnet18", DatasetId = heads.Dataset.Id });
        var seconds = clock.Elapsed.TotalSeconds;
        var head = (await _workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "fashion-default" } })).Head;

        var search = head.Search;
        Assert.True(search.DefaultGrid);
        Assert.Equal(10, search.Candidates.Count);  // nine linear, one MLP: every label has 200 examples
        Assert.Equal(2000u, search.RefitCount);
        var chosen = search.Candidates[(int)search.Chosen];
        AssertChosenByTheDefaultRule(search);
        Assert.Equal(chosen.BestEpoch, head.Config.Epochs);
        Assert.Equal(0u, head.Config.EarlyStoppingPatience);
        Assert.Equal((1600u, 400u), (head.Evaluation.TrainCount, head.Evaluation.ValidationCount));
        Assert.Empty(head.Evaluation.Warnings);
        Assert.Equal(400u, (uint)head.Evaluation.Reliability.Sum(b => b.Count));
        Assert.InRange(head.Evaluation.CalibratedExpectedCalibrationError, 0, 0.1);

        var (testImages, testLabels) = FashionMnist.Load(train: false, count: 1000);
        var (accuracy, macroF1) = await TestMetrics(testImages, testLabels, "fashion-default");
        var (linearAccuracy, linearMacroF1) = await TestMetrics(testImages, testLabels, TrainedHeads.Linear);
        output.WriteLine($"default search: {seconds:F1} s, chosen {chosen.Config.Architecture} lr {chosen.Config.LearningRate} wd {chosen.Config.WeightDecay} " +
            $"epochs {chosen.BestEpoch}; test accuracy {accuracy:P1}, macro-F1 {macroF1:P1} (hand-picked linear: {linearAccuracy:P1}, {linearMacroF1:P1}); " +
            $"T {head.Temperature:F3}, ECE {head.Evaluation.ExpectedCalibrationError:F3} -> {head.Evaluation.CalibratedExpectedCalibrationError:F3}");
        Assert.True(accuracy >= 0.845, $"test accuracy {accuracy:P1}");
        Assert.True(macroF1 >= 0.845, $"test macro-F1 {macroF1:P1}");
        Assert.True(accuracy > linearAccuracy, $"default {accuracy:P1}, hand-picked {linearAccuracy:P1}");
    }

    [Fact]
    public async Task TrainHead_NoConfigWithValidationDataset_RanksOnItAndKeepsTheChosenRunWithoutRefit()
    {
        // Rows the shared heads' dataset already holds, so the embedding cache serves them.
        var (images, labels) = FashionMnist.Load(train: true, count: 400);
        var examples = images.Select((image, i) => (TestImages.Gray28(image), $"class-{labels[i]}")).ToArray();
        await TrainedHeads.GetAsync(server);
        var train = await _workflow.UploadAsync("fashion-search-train", examples[..300]);
        var validation = await _workflow.UploadAsync("fashion-search-validation", examples[300..]);

        await _workflow.TrainAsync(new TrainHeadRequest
        {
            Name = "fashion-search-validation", Backbone = "resnet18", DatasetId = train.Id, ValidationDatasetId = validation.Id,
        });
        var head = (await _workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "fashion-search-validation" } })).Head;

        var search = head.Search;
        Assert.True(search.DefaultGrid);
        Assert.Equal(0u, search.RefitCount);
        Assert.Equal((300u, 100u), (head.Evaluation.TrainCount, head.Evaluation.ValidationCount));
        var chosen = search.Candidates[(int)search.Chosen];
        AssertChosenByTheDefaultRule(search);
        // No refit: the stored weights are the chosen run's, trained with the chosen config as given.
        Assert.Equal(chosen.Config, head.Config);
        Assert.Equal(100u, (uint)head.Evaluation.Reliability.Sum(b => b.Count));
        Assert.True(head.Evaluation.Accuracy >= 0.6, $"validation accuracy {head.Evaluation.Accuracy:P1}");
        output.WriteLine($"search on a validation dataset: chosen {chosen.Config.Architecture} lr {chosen.Config.LearningRate} " +
            $"wd {chosen.Config.WeightDecay}, validation accuracy {head.Evaluation.Accuracy:P1}");
    }

    [Fact]
    public async Task TrainHead_NoConfigOnImbalancedFortuneCategories_ReachesReferenceAccuracyAndMacroF1()
    {
        var (train, test) = FortuneCategories.Load();
        var dataset = await _workflow.UploadAsync("fortune-categories", train.Select(e => (HeadWorkflow.Text(e.Text), e.Label)));
        var clock = Stopwatch.StartNew();
        await _workflow.TrainAsync(new TrainHeadRequest { Name = "fortunes-default", Backbone = "minilm", DatasetId = dataset.Id });
        var seconds = clock.Elapsed.TotalSeconds;

        var predicted = new List<string>();
        foreach (var chunk in test.Chunk(100))
        {
            var reply = await _workflow.Heads.ClassifyAsync(new ClassifyRequest
            {
                Backbone = "minilm", Heads = { new HeadReference { Name = "fortunes-default" } }, TopK = 1, Inputs = { chunk.Select(e => HeadWorkflow.Text(e.Text)) },
            });
            predicted.AddRange(reply.Heads[0].Predictions.Select(p => p.Top[0].Label));
        }
        var truth = test.Select(e => e.Label).ToArray();
        var accuracy = predicted.Where((p, i) => p == truth[i]).Count() / (double)truth.Length;
        var macroF1 = MacroF1(predicted, truth);
        var head = (await _workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "fortunes-default" } })).Head;
        output.WriteLine($"fortune categories, minilm, {train.Length} train / {test.Length} test: default search ({seconds:F1} s with embedding) " +
            $"chose {head.Config.Architecture} lr {head.Config.LearningRate} wd {head.Config.WeightDecay}; accuracy {accuracy:P1}, macro-F1 {macroF1:P1}");
        Assert.True(accuracy >= FortunesAccuracy, $"test accuracy {accuracy:P1}");
        Assert.True(macroF1 >= FortunesMacroF1, $"test macro-F1 {macroF1:P1}");
    }

    private const double FortunesAccuracy = 0.82;
    private const double FortunesMacroF1 = 0.785;

    private async Task<(double Accuracy, double MacroF1)> TestMetrics(byte[][] images, int[] labels, string head)
    {
        var predicted = new List<string>();
        foreach (var chunk in images.Chunk(100))
        {
            var reply = await _workflow.Heads.ClassifyAsync(new ClassifyRequest
            {
                Backbone = "resnet18", Heads = { new HeadReference { Name = head } }, TopK = 1, Inputs = { chunk.Select(TestImages.Gray28) },
            });
            predicted.AddRange(reply.Heads[0].Predictions.Select(p => p.Top[0].Label));
        }
        var truth = labels.Select(l => $"class-{l}").ToArray();
        return (predicted.Where((p, i) => p == truth[i]).Count() / (double)truth.Length, MacroF1(predicted, truth));
    }

    internal static double MacroF1(IReadOnlyList<string> predicted, IReadOnlyList<string> truth) =>
        truth.Distinct().Average(label =>
        {
            var tp = predicted.Where((p, i) => p == label && truth[i] == label).Count();
            var predictedCount = predicted.Count(p => p == label);
            var actualCount = truth.Count(t => t == label);
            return tp == 0 ? 0 : 2.0 * tp / (predictedCount + actualCount);
        });

    /// <summary>The lowest validation loss wins, except that the default grid keeps its best linear head over an MLP
    /// that scored lower within the split's noise.</summary>
    private static void AssertChosenByTheDefaultRule(TrainingSearch search)
    {
        var chosen = search.Candidates[(int)search.Chosen];
        var lowest = search.Candidates.MinBy(c => c.ValidationLoss)!;
        if (chosen.ValidationLoss == lowest.ValidationLoss) return;
        Assert.Equal(HeadArchitecture.Mlp, lowest.Config.Architecture);
        Assert.Equal(HeadArchitecture.Linear, chosen.Config.Architecture);
        Assert.Equal(search.Candidates.Where(c => c.Config.Architecture == HeadArchitecture.Linear).Min(c => c.ValidationLoss), chosen.ValidationLoss);
    }
}
