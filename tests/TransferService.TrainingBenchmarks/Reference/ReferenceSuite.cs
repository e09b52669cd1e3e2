using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using TransferService.Core.Embeddings;
using TransferService.Core.Heads;
using TransferService.Core.Scheduling;
using TransferService.Hosting;
using TransferService.TrainingBenchmarks.Contenders;
using TransferService.TrainingBenchmarks.Dataset;
using TransferService.TrainingBenchmarks.Measuring;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>The default head against the references on three datasets, in one run: the service (built as Program.cs
/// builds it, in this process) embeds each dataset; then, per round, what a TrainHead job without config does after
/// embedding (<see cref="HeadFitting"/>: search, refit, calibration, evaluation, neighbour index) and ML.NET's
/// LbfgsMaximumEntropy with its defaults train on the same rows and are scored on the test rows; scikit-learn's
/// LogisticRegressionCV runs once (it is deterministic), and so does ML.NET with its L2 chosen the way
/// LogisticRegressionCV chooses C (<see cref="CrossValidatedLbfgsContender"/>): the like-for-like time.</summary>
internal static class ReferenceSuite
{
    public static async Task<IReadOnlyList<ReferenceRow>> RunAsync(TrainingBenchmarkOptions options)
    {
        var app = TransferServiceApp.Create([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Service:DataFolder"] = options.DataFolder,
            ["Lanes:Devices"] = options.Device,
            ["Backbones:Preload"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
            // The service's log to stderr: stdout holds the tables.
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        });
        await app.StartAsync();
        try
        {
            var pipeline = app.Services.GetRequiredService<EmbeddingPipeline>();
            var runtime = new TimedHeadRuntime(app.Services.GetRequiredService<IHeadRuntime>());
            var sets = new Dictionary<string, Func<LabelledSet>>
            {
                ["fashion"] = () => ReferenceDatasets.FashionMnist(2000, 2000),
                ["spam"] = () => ReferenceDatasets.SpamAssassin(1000, 1000),
                ["fortunes"] = ReferenceDatasets.Fortunes,
            };
            var rows = new List<ReferenceRow>();
            foreach (var set in options.Only.Select(name => sets[name]()))
            {
                var (train, test) = await ServiceEmbeddings.LoadAsync(pipeline, set, options.DataFolder);
                var lane = (await pipeline.ResolveAsync(set.Backbone, CancellationToken.None)).PickLane();
                var split = new BenchmarkSplit(train, test, set.LabelNames.Length);
                Console.Error.WriteLine($"{set.Name}: {train.Count} train, {test.Count} test; scikit-learn reference...");
                var sklearn = SklearnReference.FitCached(train, test, ServiceEmbeddings.CacheFile(set, options.DataFolder, "sklearn.json"));
                var ours = new List<(double Seconds, FittedOutcome Outcome)>();
                var mlnet = new List<(double Seconds, double Outcome)>();
                for (var round = 1; round <= options.Repeats; round++)
                {
                    ours.Add(await TimeAsync(() => FitDefaultAsync(runtime, set, train, test, lane)));
                    mlnet.Add(await TimeAsync(() => Task.FromResult(new MlNetContender("lbfgs", ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
                        .TrainAndEvaluate(split).Accuracy)));
                    Console.Error.WriteLine($"round {round}: ours {ours[^1].Outcome.Accuracy:P2} in {ours[^1].Seconds:F2} s; ML.NET {mlnet[^1].Outcome:P2} in {mlnet[^1].Seconds:F2} s");
                }
                Console.Error.WriteLine($"{set.Name}: ML.NET with L2 by 5-fold CV...");
                var tuned = await TimeAsync(() => Task.FromResult(CrossValidatedLbfgsContender.Fit(split)));
                rows.Add(new ReferenceRow(set.Name, train.Count, test.Count, ours[^1].Outcome, Median.Of(ours.Select(o => o.Seconds)), sklearn,
                    mlnet[^1].Outcome, Median.Of(mlnet.Select(m => m.Seconds)), (tuned.Outcome.Accuracy, tuned.Outcome.MacroF1, tuned.Seconds)));
            }
            return rows;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<FittedOutcome> FitDefaultAsync(IHeadRuntime runtime, LabelledSet set, TrainingData train, TrainingData test, string lane)
    {
        var plan = new TrainingPlan(DefaultSearchGrid.Candidates(train.Labels.CountBy(l => l).Select(c => c.Value)), Search: true, DefaultGrid: true);
        var fitted = await HeadFitting.FitAsync(runtime, plan, "reference", train.Features, train.Labels, train.Dimension, null, set.LabelNames,
            lane, WorkTag.System, null, CancellationToken.None);
        using var scorer = runtime.CreateScorer(fitted.Result.Weights, fitted.Temperature, lane);
        var probabilities = await scorer.ScoreAsync(test.Features, test.Count, WorkTag.System, CancellationToken.None);
        var (accuracy, macroF1, _, _, _) = Evaluator.Metrics(probabilities, test.Labels, set.LabelNames.Length);
        return new FittedOutcome(accuracy, macroF1, fitted.Result.Config);
    }

    private static async Task<(double Seconds, T Outcome)> TimeAsync<T>(Func<Task<T>> run)
    {
        // Garbage left by the previous contender is not this one's cost.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        var outcome = await run();
        return (watch.Elapsed.TotalSeconds, outcome);
    }
}
