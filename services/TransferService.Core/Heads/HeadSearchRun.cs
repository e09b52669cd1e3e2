using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Heads;

/// <summary>Runs a <see cref="TrainingPlan"/> on embeddings already in memory: every candidate trains on the training
/// split and is scored at its best epoch on the validation rows; the lowest validation loss wins (a proper score, less
/// noisy than accuracy on a few hundred rows). When the validation rows were cut from the training data, the winner is
/// then refit on all of it for its best number of epochs, so no labelled row is left out of the stored head. Candidates
/// the runtime can train side by side (<see cref="TrainingConfigs.Stackable"/>) are handed to it together. The default
/// grid keeps its best linear head over an MLP that scored lower by less than the noise of the split
/// (<see cref="OneStandardErrorRule"/>).</summary>
public static class HeadSearchRun
{
    /// <param name="refitOn">Every training row, or null to keep the chosen run's weights (separate validation dataset).</param>
    /// <param name="progress">Told after every epoch, with the share of the whole plan done (the refit is the last run).</param>
    public static HeadSearchResult Execute(IHeadRuntime runtime, TrainingPlan plan, TrainingData train, TrainingData validation, TrainingData? refitOn,
        int classes, string lane, WorkTag tag, IProgress<(double Done, EpochMetrics Metrics)>? progress, CancellationToken cancellation)
    {
        // Candidates that can train side by side (linear, differing only in learning rate and weight decay) run together.
        var groups = TrainingConfigs.StackGroups(plan.Candidates);
        var runs = groups.Count + (plan.Search && refitOn is not null ? 1 : 0);
        var results = new HeadTrainingResult[plan.Candidates.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var configs = groups[g].Select(i => plan.Candidates[i]).ToArray();
            var trained = runtime.TrainTogether(train, validation, classes, configs, lane, tag, Reporter(progress, g, runs, configs[0]), cancellation);
            for (var k = 0; k < configs.Length; k++) results[groups[g][k]] = trained[k];
        }
        if (!plan.Search) return new HeadSearchResult(results[0], results[0].Weights, plan.First, null);

        var scores = results.Select((r, i) => Score(plan.Candidates[i], r)).ToArray();
        var chosen = Lowest(scores, Enumerable.Range(0, scores.Length));
        if (plan.DefaultGrid) chosen = PreferLinear(runtime, plan, results, scores, chosen, validation, classes, lane, tag, cancellation);
        var config = plan.Candidates[chosen];
        var weights = results[chosen].Weights;
        if (refitOn is not null)
        {
            config = config with { Epochs = Math.Max(1, results[chosen].BestEpoch), EarlyStoppingPatience = 0 };
            var empty = new TrainingData([], [], refitOn.Dimension);
            weights = runtime.Train(refitOn, empty, classes, config, lane, tag, Reporter(progress, runs - 1, runs, config), cancellation).Weights;
        }
        return new HeadSearchResult(results[chosen], weights, config, new HeadSearch(scores, chosen, plan.DefaultGrid, refitOn?.Count ?? 0));
    }

    private static int Lowest(SearchCandidate[] scores, IEnumerable<int> among) =>
        among.MinBy(i => double.IsNaN(scores[i].ValidationLoss) ? double.PositiveInfinity : scores[i].ValidationLoss);

    /// <summary>The default grid's MLP must beat its best linear head by more than the validation split's noise: on
    /// Fashion-MNIST's 400 validation rows the two came within 0.001 of each other, and which one won changed with the
    /// dropout draws, by 1.4 points of test accuracy. Within one standard error the linear head is kept.</summary>
    private static int PreferLinear(IHeadRuntime runtime, TrainingPlan plan, HeadTrainingResult[] results, SearchCandidate[] scores, int chosen,
        TrainingData validation, int classes, string lane, WorkTag tag, CancellationToken cancellation)
    {
        var linear = Enumerable.Range(0, scores.Length).Where(i => plan.Candidates[i].Architecture == HeadArchitecture.Linear).ToArray();
        if (plan.Candidates[chosen].Architecture == HeadArchitecture.Linear || linear.Length == 0 || validation.Count < 2) return chosen;
        var bestLinear = Lowest(scores, linear);
        return OneStandardErrorRule.SimplerIsWithin(RowLosses(bestLinear), RowLosses(chosen)) ? bestLinear : chosen;

        double[] RowLosses(int candidate)
        {
            using var scorer = runtime.CreateScorer(results[candidate].Weights, 1f, lane);
            var probabilities = scorer.ScoreAsync(validation.Features, validation.Count, tag, cancellation).GetAwaiter().GetResult();
            return Evaluator.RowLosses(probabilities, validation.Labels, classes);
        }
    }

    private static SearchCandidate Score(TrainingConfig config, HeadTrainingResult result)
    {
        var best = result.Epochs.FirstOrDefault(e => e.Epoch == result.BestEpoch);
        return new SearchCandidate(config, result.BestEpoch, best?.ValidationLoss ?? double.NaN, best?.ValidationAccuracy ?? double.NaN);
    }

    private static IProgress<EpochMetrics>? Reporter(IProgress<(double, EpochMetrics)>? progress, int run, int runs, TrainingConfig config) =>
        progress is null ? null : new SyncProgress<EpochMetrics>(m => progress.Report(((run + Math.Min(1, m.Epoch / (double)config.Epochs)) / runs, m)));
}
