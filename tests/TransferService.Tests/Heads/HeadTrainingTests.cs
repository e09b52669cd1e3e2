using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TransferService.Tests.Heads;

/// <summary>Real data through the public gRPC API: upload, train in ONNX Runtime, watch, evaluate, classify.</summary>
[Collection(ServerCollection.Name)]
public sealed class HeadTrainingTests(ServerFixture server, ITestOutputHelper output)
{
    private readonly HeadWorkflow _workflow = new(server);

    [Fact]
    public async Task TrainHead_FashionMnistOnResNet18_ReachesReferenceAccuracyOnHeldOutTest()
    {
        var heads = await TrainedHeads.GetAsync(server);
        var (testImages, testLabels) = FashionMnist.Load(train: false, count: 1000);

        var predicted = new List<string>();
        foreach (var chunk in testImages.Chunk(100))
        {
            var reply = await _workflow.Heads.ClassifyAsync(new ClassifyRequest
            {
                Backbone = "resnet18", Heads = { new HeadReference { Name = TrainedHeads.Linear } }, TopK = 1,
                Inputs = { chunk.Select(TestImages.Gray28) },
            });
            predicted.AddRange(reply.Heads[0].Predictions.Select(p => p.Top[0].Label));
        }
        var accuracy = predicted.Where((label, i) => label == $"class-{testLabels[i]}").Count() / 1000.0;

        output.WriteLine($"Fashion-MNIST, resnet18 + linear head, 2000 train / 1000 test: accuracy {accuracy:P1}; " +
            $"validation {heads.LinearHead.Evaluation.Accuracy:P1}, T = {heads.LinearHead.Temperature:F3}");
        Assert.True(accuracy >= 0.82, $"test accuracy {accuracy:P1}");
    }

    [Fact]
    public async Task TrainHead_Job_ReportsProgressThroughEveryStageAndStoresTheEvaluation()
    {
        var heads = await TrainedHeads.GetAsync(server);

        // A watch shows the latest snapshot at each step, so a short stage can be passed over; the order cannot change,
        // and the final snapshot keeps the last epoch's numbers.
        string[] order = ["queued", "starting", "embedding", "training", "evaluating", "done"];
        var stages = heads.LinearJob.Select(j => Array.IndexOf(order, j.Progress.Stage)).ToArray();
        Assert.DoesNotContain(-1, stages);
        Assert.Equal(stages.Order(), stages);
        Assert.Equal((uint)heads.LinearHead.Config.Epochs, heads.LinearJob[^1].Progress.Epoch);
        Assert.True(heads.LinearJob[^1].Progress.TrainLoss > 0);
        Assert.Equal(JobState.Succeeded, heads.LinearJob[^1].State);
        Assert.Equal($"{TrainedHeads.Linear} v{heads.LinearHead.Version}", heads.LinearJob[^1].Result);
        var epochs = heads.LinearJob.Where(j => j.Progress.Stage == "training").Select(j => j.Progress.Epoch).ToArray();
        Assert.Equal(epochs.Order(), epochs);

        var evaluation = heads.LinearHead.Evaluation;
        Assert.Equal(10, evaluation.Classes.Count);
        Assert.Equal(100u, (uint)evaluation.Confusion.Count);
        Assert.Equal(evaluation.ValidationCount, (uint)evaluation.Confusion.Sum(c => c));
        Assert.Equal(2000u, evaluation.TrainCount + evaluation.ValidationCount);
        Assert.Equal(400u, evaluation.ValidationCount);
        Assert.Equal(heads.LinearHead.Config.Epochs, (uint)evaluation.Epochs.Count);
        Assert.True(evaluation.Epochs[^1].TrainLoss < evaluation.Epochs[0].TrainLoss);
        Assert.True(evaluation.CalibratedValidationLoss <= evaluation.ValidationLoss + 1e-9);
        Assert.InRange(evaluation.MacroF1, 0.5, 1.0);
    }

    [Fact]
    public async Task TrainHead_SpamAssassinOnMiniLm_ReachesReferenceAccuracy()
    {
        // minilm reads the first 256 tokens; a few raw emails exceed the service's 100,000-character limit.
        var (train, test) = SpamAssassin.Load(1000, 1000);
        (train, test) = (SpamAssassin.Trim(train), SpamAssassin.Trim(test));
        var dataset = await _workflow.UploadAsync("spam-train", train.Select(e => (HeadWorkflow.Text(e.Text), e.Label)));
        await _workflow.TrainAsync(new TrainHeadRequest
        {
            // An MLP head: on this split a linear head reaches 92.7 %, below the 93 % asked for (see the issue note).
            Name = "spam", Backbone = "minilm", DatasetId = dataset.Id,
            Config = new TrainingConfig { Architecture = HeadArchitecture.Mlp, HiddenSizes = { 256 }, Epochs = 60, LearningRate = 0.003f, BatchSize = 32 },
        });

        // The default search on the same dataset: the embedding cache serves it, so it costs only the training.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _workflow.TrainAsync(new TrainHeadRequest { Name = "spam-default", Backbone = "minilm", DatasetId = dataset.Id });
        var searchSeconds = clock.Elapsed.TotalSeconds;

        var predicted = new Dictionary<string, List<string>> { ["spam"] = [], ["spam-default"] = [] };
        foreach (var chunk in test.Chunk(100))
        {
            var reply = await _workflow.Heads.ClassifyAsync(new ClassifyRequest
            {
                Backbone = "minilm", Heads = { new HeadReference { Name = "spam" }, new HeadReference { Name = "spam-default" } }, TopK = 1,
                Inputs = { chunk.Select(e => HeadWorkflow.Text(e.Text)) },
            });
            foreach (var head in reply.Heads) predicted[head.Name].AddRange(head.Predictions.Select(p => p.Top[0].Label));
        }
        var truth = test.Select(e => e.Label).ToArray();
        double Accuracy(string head) => predicted[head].Where((p, i) => p == truth[i]).Count() / (double)truth.Length;
        var (accuracy, defaultAccuracy, defaultMacroF1) = (Accuracy("spam"), Accuracy("spam-default"), HeadSearchTests.MacroF1(predicted["spam-default"], truth));
        output.WriteLine($"SpamAssassin, minilm, 1000 train / 1000 test: MLP head accuracy {accuracy:P1}; default search ({searchSeconds:F1} s) " +
            $"accuracy {defaultAccuracy:P1}, macro-F1 {defaultMacroF1:P1}");
        Assert.True(accuracy >= 0.93, $"test accuracy {accuracy:P1}");
        Assert.True(defaultAccuracy >= 0.94, $"default head test accuracy {defaultAccuracy:P1}");
        Assert.True(defaultMacroF1 >= 0.93, $"default head test macro-F1 {defaultMacroF1:P1}");
    }

    [Fact]
    public async Task TrainHead_OneExamplePerLabel_SucceedsAndSaysNothingWasValidated()
    {
        var dataset = await _workflow.UploadAsync("tiny", [(HeadWorkflow.Text("a refund please"), "billing"), (HeadWorkflow.Text("the app crashes"), "bug")]);

        await _workflow.TrainAsync(new TrainHeadRequest { Name = "tiny", Backbone = "minilm", DatasetId = dataset.Id, Config = new TrainingConfig { Epochs = 5 } });

        var head = (await _workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "tiny" } })).Head;
        Assert.Equal((2u, 0u), (head.Evaluation.TrainCount, head.Evaluation.ValidationCount));
        Assert.True(double.IsNaN(head.Evaluation.Accuracy));
        Assert.Equal(1f, head.Temperature);
    }

    [Fact]
    public async Task TrainHead_NinetyShortTextsWithoutConfig_TemperatureSaneAndNoProbabilityIsOne()
    {
        string[] cooking = ["simmer the sauce", "bake the bread", "chop the onions", "roast the chicken", "whisk the eggs", "season the soup"];
        string[] sports = ["the striker scored", "the match went to overtime", "the team won the cup", "the runner broke the record", "the coach called a timeout", "the goalkeeper saved it"];
        string[] finance = ["the shares fell", "interest rates rose", "the bank raised capital", "the bond yields climbed", "the stock market rallied", "quarterly earnings beat forecasts"];
        string[] endings = ["today.", "again.", "this morning.", "last night.", "quickly."];
        IEnumerable<(string, string)> Texts(string[] starts, string label) => starts.SelectMany(s => endings.Select(e => ($"{s} {e}", label)));
        var examples = Texts(cooking, "cooking").Concat(Texts(sports, "sports")).Concat(Texts(finance, "finance")).ToArray();
        Assert.Equal(90, examples.Length);
        var dataset = await _workflow.UploadAsync("ninety-texts", examples.Select(e => (HeadWorkflow.Text(e.Item1), e.Item2)));

        await _workflow.TrainAsync(new TrainHeadRequest { Name = "ninety", Backbone = "minilm", DatasetId = dataset.Id });

        var head = (await _workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "ninety" } })).Head;
        var reply = await _workflow.Heads.ClassifyAsync(new ClassifyRequest
        {
            Backbone = "minilm", Heads = { new HeadReference { Name = "ninety" } }, TopK = 3,
            Inputs = { examples.Select(e => HeadWorkflow.Text(e.Item1)).Append(HeadWorkflow.Text("I like turtles.")) },
        });
        var top = reply.Heads[0].Predictions.Select(p => p.Top[0].Probability).ToArray();
        output.WriteLine($"90 texts: T {head.Temperature:F3}, chosen {head.Config.Architecture} lr {head.Config.LearningRate} wd {head.Config.WeightDecay}, " +
            $"top probability {top.Min():F3}..{top.Max():F4}, 'I like turtles.' {reply.Heads[0].Predictions[^1].Top[0].Label} {top[^1]:F3}; " +
            $"warnings: {string.Join(" | ", head.Evaluation.Warnings)}");
        Assert.InRange(head.Temperature, 0.25f, 4f);
        Assert.All(top, p => Assert.True(p < 1f, $"a probability of exactly {p}"));
        Assert.Equal(18u, head.Evaluation.ValidationCount);
        Assert.Contains("unreliable", Assert.Single(head.Evaluation.Warnings));
    }
}
