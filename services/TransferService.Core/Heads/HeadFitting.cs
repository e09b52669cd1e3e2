using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Heads;

/// <summary>What a training job does once the embeddings are in memory: split (unless a validation dataset is given),
/// train the plan (one config, or a search ending in a refit on every row), calibrate and evaluate on the validation
/// rows, and index the training rows for familiarity and nearest examples. The job adds the embedding before and the
/// storing after; the training benchmark times exactly this.</summary>
public static class HeadFitting
{
    /// <param name="features">The training dataset's embeddings, [rows × dimension].</param>
    /// <param name="validationDataset">Rows of a separate validation dataset, or null to split <paramref name="features"/>.</param>
    /// <param name="progress">Told after every epoch with the share of training done; told 1 when training is over.</param>
    public static async Task<FittedHead> FitAsync(IHeadRuntime runtime, TrainingPlan plan, string datasetId, float[] features, int[] labels,
        int dimension, TrainingData? validationDataset, string[] labelNames, string lane, WorkTag tag,
        IProgress<(double Done, EpochMetrics Metrics)>? progress, CancellationToken cancellation)
    {
        TrainingData train, validation;
        TrainingData? refitOn = null;
        if (validationDataset is not null) (train, validation) = (new TrainingData(features, labels, dimension), validationDataset);
        else
        {
            var (trainRows, validationRows) = StratifiedSplit.Split(labels, plan.First.ValidationFraction, plan.First.Seed);
            train = Rows(features, labels, dimension, trainRows);
            validation = Rows(features, labels, dimension, validationRows);
            refitOn = new TrainingData(features, labels, dimension);
        }
        EpochMetrics? last = null;
        var epochs = progress is null ? null : new SyncProgress<(double Done, EpochMetrics Metrics)>(p => progress.Report((p.Done, last = p.Metrics)));
        var result = await Task.Run(() => HeadSearchRun.Execute(runtime, plan, train, validation, refitOn, labelNames.Length, lane, tag, epochs, cancellation), cancellation);
        // Training is over even when early stopping ended the last run short of its epochs.
        if (last is not null) progress?.Report((1, last));
        var (evaluation, temperature) = await EvaluateAsync(runtime, result.Chosen, train, validation, labelNames, lane, tag, cancellation);
        // The index holds every training-dataset row (not only the split the head was fitted on: all of them are
        // labelled examples a user may be shown).
        var neighbours = NeighbourIndex.Build(datasetId, features, labels, dimension);
        return new FittedHead(result, evaluation, temperature, neighbours, neighbours.FitThreshold(cancellation: cancellation));
    }

    /// <summary>Measures the chosen run on the validation rows and fits the temperature there. After a refit the stored
    /// weights saw those rows, so the measured run is the chosen setting trained without them: an honest estimate of
    /// the refit head, which trained on more. The calibration error after scaling is measured on the rows T was
    /// fitted on, so it is a lower bound.</summary>
    private static async Task<(HeadEvaluation Evaluation, float Temperature)> EvaluateAsync(IHeadRuntime runtime, HeadTrainingResult result,
        TrainingData train, TrainingData validation, string[] labels, string lane, WorkTag tag, CancellationToken cancellation)
    {
        var classes = labels.Length;
        var warnings = MetricWarnings.For(validation.Labels, labels);
        if (validation.Count == 0)
        {
            // Every label had a single example, so nothing was held out: there is nothing to measure or calibrate on.
            var none = Enumerable.Repeat(double.NaN, classes).ToArray();
            return (new HeadEvaluation(double.NaN, double.NaN, none, none, Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray(),
                double.NaN, double.NaN, train.Count, 0, result.BestEpoch, result.Epochs)
            { Warnings = warnings }, 1f);
        }
        using var scorer = runtime.CreateScorer(result.Weights, 1f, lane);
        var raw = await scorer.ScoreAsync(validation.Features, validation.Count, tag, cancellation);
        var temperature = TemperatureScaling.Fit(raw, validation.Labels, classes);
        var calibrated = TemperatureScaling.Apply(raw, classes, temperature);
        var (accuracy, macroF1, precision, recall, confusion) = Evaluator.Metrics(calibrated, validation.Labels, classes);
        var reliability = Reliability.Table(calibrated, validation.Labels, classes);
        return (new HeadEvaluation(accuracy, macroF1, precision, recall, confusion, Evaluator.LogLoss(raw, validation.Labels, classes),
            Evaluator.LogLoss(calibrated, validation.Labels, classes), train.Count, validation.Count, result.BestEpoch, result.Epochs)
        {
            ExpectedCalibrationError = Reliability.ExpectedCalibrationError(Reliability.Table(raw, validation.Labels, classes)),
            CalibratedExpectedCalibrationError = Reliability.ExpectedCalibrationError(reliability),
            Reliability = reliability, Warnings = warnings,
        }, temperature);
    }

    private static TrainingData Rows(float[] features, int[] labels, int dimension, int[] rows)
    {
        var selected = new float[rows.Length * dimension];
        for (var i = 0; i < rows.Length; i++) features.AsSpan(rows[i] * dimension, dimension).CopyTo(selected.AsSpan(i * dimension, dimension));
        return new TrainingData(selected, rows.Select(r => labels[r]).ToArray(), dimension);
    }
}
