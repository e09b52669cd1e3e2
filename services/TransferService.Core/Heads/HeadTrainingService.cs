using TransferService.Core.Backbones;
using TransferService.Core.Datasets;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Jobs;
using TransferService.Core.Tenants;

namespace TransferService.Core.Heads;

/// <summary>TrainHead: validates the request and its cost up front (so bad input fails the call, not a job), then runs
/// a job that embeds the data (through the cache), splits it, trains in the runtime on the backbone's lane,
/// calibrates, evaluates and stores a new head version.</summary>
public sealed class HeadTrainingService(
    TenantStores stores,
    TenantQuotas quotas,
    DatasetEmbedder embedder,
    EmbeddingPipeline pipeline,
    BackboneRegistry backbones,
    IHeadRuntime runtime,
    IJobRunner jobs,
    JobOptions limits,
    TimeProvider time)
{
    public JobInfo Submit(TrainHeadCommand command)
    {
        if (!ModelRepository.IsValidName(command.HeadName))
            throw TransferException.Invalid("name", $"name '{command.HeadName}' must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
        TrainingConfigValidator.Validate(command.Config);
        quotas.RemainingBytes(command.Tenant, "name");
        var datasets = stores.Datasets(command.Tenant);
        var backbone = backbones.Get(command.Backbone, "backbone").Manifest
            ?? throw new TransferException(ErrorCode.FailedPrecondition, $"backbone '{command.Backbone}' has an unreadable manifest", "backbone");
        var train = datasets.Get(command.DatasetId);
        CheckModality(train, backbone, "dataset_id");
        if (train.LabelCounts.Count < 2)
            throw TransferException.Invalid("dataset_id", $"dataset {train.Id} has {train.LabelCounts.Count} label(s); a classifier needs at least 2");
        DatasetInfo? validation = null;
        if (command.ValidationDatasetId is { Length: > 0 } validationId)
        {
            validation = datasets.Get(validationId, "validation_dataset_id");
            CheckModality(validation, backbone, "validation_dataset_id");
            var unknown = validation.LabelCounts.Keys.Except(train.LabelCounts.Keys).ToArray();
            if (unknown.Length > 0)
                throw TransferException.Invalid("validation_dataset_id", $"validation labels not in the training dataset: {string.Join(", ", unknown)}");
        }
        else
        {
            var starved = train.LabelCounts.Where(l => StratifiedSplit.HeldOut(l.Value, command.Config.ValidationFraction) == l.Value).Select(l => l.Key).ToArray();
            if (starved.Length > 0)
                throw TransferException.Invalid("config.validation_fraction",
                    $"with validation_fraction {command.Config.ValidationFraction} no training example is left for label(s): {string.Join(", ", starved)}");
        }
        var validationRows = validation?.Count ?? train.LabelCounts.Values.Sum(n => StratifiedSplit.HeldOut(n, command.Config.ValidationFraction));
        var trainRows = validation is null ? train.Count - validationRows : train.Count;
        TrainingConfigValidator.CheckCost(command.Config,
            TrainingCost.Estimate(command.Config, backbone.Dimension, train.LabelCounts.Count, trainRows, validationRows), limits);
        return jobs.Submit(command.Tenant, "train_head", (progress, cancellation) => TrainAsync(command, train, progress, cancellation));
    }

    private async Task<string> TrainAsync(TrainHeadCommand command, DatasetInfo trainInfo, IProgress<JobProgress> progress, CancellationToken cancellation)
    {
        var datasets = stores.Datasets(command.Tenant);
        var labels = trainInfo.LabelCounts.Keys.ToArray();
        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var total = trainInfo.Count + (command.ValidationDatasetId is { Length: > 0 } id ? datasets.Get(id).Count : 0);
        var embedded = new SyncProgress<int>(n => progress.Report(new JobProgress("embedding", 0.5 * n / total)));
        var (features, rowLabels, dimension) = await embedder.EmbedAsync(datasets, trainInfo.Id, command.Backbone, embedded, cancellation);
        var y = rowLabels.Select(l => labelIndex[l]).ToArray();

        TrainingData train, validation;
        if (command.ValidationDatasetId is { Length: > 0 } validationId)
        {
            train = new TrainingData(features, y, dimension);
            var offset = trainInfo.Count;
            var validationEmbedded = new SyncProgress<int>(n => progress.Report(new JobProgress("embedding", 0.5 * (offset + n) / total)));
            var (vFeatures, vLabels, _) = await embedder.EmbedAsync(datasets, validationId, command.Backbone, validationEmbedded, cancellation);
            validation = new TrainingData(vFeatures, vLabels.Select(l => labelIndex[l]).ToArray(), dimension);
        }
        else
        {
            var (trainRows, validationRows) = StratifiedSplit.Split(y, command.Config.ValidationFraction, command.Config.Seed);
            train = Rows(features, y, dimension, trainRows);
            validation = Rows(features, y, dimension, validationRows);
        }

        var loaded = await pipeline.ResolveAsync(command.Backbone, cancellation);
        var lane = loaded.Lanes[0];
        var trained = new JobProgress("training", 0.5);
        var trainingProgress = new SyncProgress<EpochMetrics>(m => progress.Report(trained = new JobProgress("training",
            0.5 + 0.45 * Math.Min(1, m.Epoch / (double)command.Config.Epochs), m.Epoch, m.Step, m.TrainLoss, m.ValidationLoss, m.ValidationAccuracy)));
        var result = await Task.Run(() => runtime.Train(train, validation, labels.Length, command.Config, lane, trainingProgress, cancellation), cancellation);

        // The last epoch's numbers stay in the snapshot to the end, so a watcher that missed the training updates
        // (a short training, or a reconnect) still reads them.
        progress.Report(trained with { Stage = "evaluating", Fraction = 0.95 });
        var evaluation = Evaluate(result, train, validation, labels.Length, lane, out var temperature);
        var (neighbours, familiarityThreshold) = IndexNeighbours(trainInfo.Id, features, y, dimension);
        // The last point at which a cancel is honoured: once the version is stored the job has published it and succeeds.
        cancellation.ThrowIfCancellationRequested();
        var stored = stores.Heads(command.Tenant).Add(new HeadRecord
        {
            Name = command.HeadName, Version = 0, Backbone = loaded.Manifest.Name, BackboneVersion = loaded.Manifest.Version,
            Labels = labels, DatasetId = trainInfo.Id, ValidationDatasetId = command.ValidationDatasetId, Config = command.Config,
            Evaluation = evaluation, Temperature = temperature, Weights = result.Weights, Created = time.GetUtcNow(),
            FamiliarityThreshold = familiarityThreshold,
        }, neighbours);
        return $"{stored.Name} v{stored.Version}";
    }

    private HeadEvaluation Evaluate(HeadTrainingResult result, TrainingData train, TrainingData validation, int classes, string lane, out float temperature)
    {
        if (validation.Count == 0)
        {
            // Every label had a single example, so nothing was held out: there is nothing to measure or calibrate on.
            temperature = 1f;
            var none = Enumerable.Repeat(double.NaN, classes).ToArray();
            return new HeadEvaluation(double.NaN, double.NaN, none, none, Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray(),
                double.NaN, double.NaN, train.Count, 0, result.BestEpoch, result.Epochs);
        }
        using var scorer = runtime.CreateScorer(result.Weights, 1f, lane);
        var raw = scorer.Probabilities(validation.Features, validation.Count);
        temperature = TemperatureScaling.Fit(raw, validation.Labels, classes);
        var calibrated = TemperatureScaling.Apply(raw, classes, temperature);
        var (accuracy, macroF1, precision, recall, confusion) = Evaluator.Metrics(calibrated, validation.Labels, classes);
        return new HeadEvaluation(accuracy, macroF1, precision, recall, confusion, Evaluator.LogLoss(raw, validation.Labels, classes),
            Evaluator.LogLoss(calibrated, validation.Labels, classes), train.Count, validation.Count, result.BestEpoch, result.Epochs);
    }

    /// <summary>The index of every training-dataset row (not only the split the head was fitted on: all of them are
    /// labelled examples a user may be shown) and its familiarity threshold.</summary>
    private static (NeighbourIndex Index, float Threshold) IndexNeighbours(string datasetId, float[] features, int[] labels, int dimension)
    {
        var index = NeighbourIndex.Build(datasetId, features, labels, dimension);
        return (index, index.FitThreshold());
    }

    private static TrainingData Rows(float[] features, int[] labels, int dimension, int[] rows)
    {
        var selected = new float[rows.Length * dimension];
        for (var i = 0; i < rows.Length; i++) features.AsSpan(rows[i] * dimension, dimension).CopyTo(selected.AsSpan(i * dimension, dimension));
        return new TrainingData(selected, rows.Select(r => labels[r]).ToArray(), dimension);
    }

    private static void CheckModality(DatasetInfo dataset, BackboneManifest backbone, string field)
    {
        var other = dataset.Modalities.Where(m => m != backbone.Modality).ToArray();
        if (other.Length > 0)
            throw TransferException.Invalid(field,
                $"dataset {dataset.Id} holds {string.Join(", ", other).ToLowerInvariant()} inputs; backbone '{backbone.Name}' takes {backbone.Modality.ToString().ToLowerInvariant()}");
    }
}
