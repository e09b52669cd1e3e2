using System.Text.Json;
using TransferService.Core.Backbones;
using TransferService.Core.Datasets;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Jobs;
using TransferService.Core.Scheduling;
using TransferService.Core.Telemetry;
using TransferService.Core.Tenants;

namespace TransferService.Core.Heads;

/// <summary>TrainHead: validates the request and its cost up front (so bad input fails the call, not a job), then queues
/// a durable job (run by <see cref="TrainHeadJob"/>) that embeds the data (through the cache), splits it, trains in the
/// runtime on the backbone's lane (one config, or a search over candidates ending in a refit on every row), calibrates,
/// evaluates and stores a new head version, once per job.</summary>
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
    public const string JobKind = "train_head";
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <summary>Validates the command and its cost, then queues it as a durable job whose payload is the command.</summary>
    public JobInfo Submit(TrainHeadCommand command)
    {
        Validate(command);
        return jobs.Submit(new JobSubmission(command.Tenant, JobKind, command.Priority, JsonSerializer.Serialize(command, PayloadJson), command.IdempotencyKey));
    }

    /// <summary>Runs the job <see cref="Submit"/> queued, on any attempt: validates again (a dataset may have gone since),
    /// trains from the start (cached embeddings make that cheap), and stores the head version once per job.</summary>
    public async Task<string> RunAsync(IJobContext job, CancellationToken cancellation)
    {
        var command = (JsonSerializer.Deserialize<TrainHeadCommand>(job.Payload, PayloadJson)
            ?? throw new TransferException(ErrorCode.Internal, $"job {job.JobId} has no training command")) with { Tenant = job.Tenant };
        if (stores.Heads(command.Tenant).FindMadeBy(command.HeadName, job.JobId) is { } made) return $"{made.Name} v{made.Version}";
        var (plan, train) = Validate(command);
        return await TrainAsync(command, plan, train, job, new SyncProgress<JobProgress>(job.Report), cancellation);
    }

    private (TrainingPlan Plan, DatasetInfo Train) Validate(TrainHeadCommand command)
    {
        if (!ModelRepository.IsValidName(command.HeadName))
            throw TransferException.Invalid("name", $"name '{command.HeadName}' must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
        var candidates = command.Candidates ?? [];
        if (command.Config is not null && candidates.Count > 0)
            throw TransferException.Invalid("candidates", "set config (train exactly it) or candidates (search them), not both");
        if (candidates.Count > TrainingPlan.MaxCandidates)
            throw TransferException.Invalid("candidates", $"{candidates.Count} candidates; at most {TrainingPlan.MaxCandidates} are searched in one job");
        if (command.Config is not null) TrainingConfigValidator.Validate(command.Config);
        for (var i = 0; i < candidates.Count; i++)
        {
            TrainingConfigValidator.Validate(candidates[i], Field(i));
            if (candidates[i].ValidationFraction != candidates[0].ValidationFraction)
                throw TransferException.Invalid($"{Field(i)}.validation_fraction", "every candidate must have the same validation_fraction: one split ranks them all");
        }
        quotas.RemainingBytes(command.Tenant, "name");
        var datasets = stores.Datasets(command.Tenant);
        var backbone = backbones.Get(command.Backbone, "backbone").Manifest
            ?? throw new TransferException(ErrorCode.FailedPrecondition, $"backbone '{command.Backbone}' has an unreadable manifest", "backbone");
        var train = datasets.Get(command.DatasetId);
        CheckModality(train, backbone, "dataset_id");
        if (train.LabelCounts.Count < 2)
            throw TransferException.Invalid("dataset_id", $"dataset {train.Id} has {train.LabelCounts.Count} label(s); a classifier needs at least 2");
        var plan = command.Config is not null ? new TrainingPlan([command.Config], Search: false, DefaultGrid: false)
            : candidates.Count > 0 ? new TrainingPlan(candidates, Search: true, DefaultGrid: false)
            : new TrainingPlan(DefaultSearchGrid.Candidates(train.LabelCounts.Values), Search: true, DefaultGrid: true);
        var planField = candidates.Count > 0 ? Field(0) : "config";
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
            var starved = train.LabelCounts.Where(l => StratifiedSplit.HeldOut(l.Value, plan.First.ValidationFraction) == l.Value).Select(l => l.Key).ToArray();
            if (starved.Length > 0)
                throw TransferException.Invalid($"{planField}.validation_fraction",
                    $"with validation_fraction {plan.First.ValidationFraction} no training example is left for label(s): {string.Join(", ", starved)}");
        }
        var validationRows = validation?.Count ?? train.LabelCounts.Values.Sum(n => StratifiedSplit.HeldOut(n, plan.First.ValidationFraction));
        var trainRows = validation is null ? train.Count - validationRows : train.Count;
        // The limits bound one training run: a search runs its groups of side-by-side candidates and a refit on every
        // row one after another, each checked (the job's duration limit still bounds the whole).
        void Check(int candidate, int heads, int runRows, int runValidationRows)
        {
            var config = plan.Candidates[candidate];
            TrainingConfigValidator.CheckCost(config, TrainingCost.Estimate(config, backbone.Dimension, train.LabelCounts.Count, runRows, runValidationRows,
                heads, indexRows: train.Count), limits, candidates.Count > 0 ? Field(candidate) : "config");
        }
        foreach (var group in TrainingConfigs.StackGroups(plan.Candidates))
        {
            Check(group[0], group.Count, trainRows, validationRows);
            if (plan.Search && validation is null)
                foreach (var i in group) Check(i, heads: 1, train.Count, 0);
        }
        return (plan, train);
    }

    private static string Field(int candidate) => $"candidates[{candidate}]";

    private async Task<string> TrainAsync(TrainHeadCommand command, TrainingPlan plan, DatasetInfo trainInfo, IJobContext job, IProgress<JobProgress> progress, CancellationToken cancellation)
    {
        var datasets = stores.Datasets(command.Tenant);
        var labels = trainInfo.LabelCounts.Keys.ToArray();
        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var total = trainInfo.Count + (command.ValidationDatasetId is { Length: > 0 } id ? datasets.Get(id).Count : 0);
        var embedded = new SyncProgress<int>(n => progress.Report(new JobProgress("embedding", 0.5 * n / total)));
        var (features, rowLabels, dimension) = await embedder.EmbedAsync(datasets, trainInfo.Id, command.Backbone, job.Tag, embedded, cancellation);
        var y = rowLabels.Select(l => labelIndex[l]).ToArray();

        TrainingData? validation = null;
        if (command.ValidationDatasetId is { Length: > 0 } validationId)
        {
            var offset = trainInfo.Count;
            var validationEmbedded = new SyncProgress<int>(n => progress.Report(new JobProgress("embedding", 0.5 * (offset + n) / total)));
            var (vFeatures, vLabels, _) = await embedder.EmbedAsync(datasets, validationId, command.Backbone, job.Tag, validationEmbedded, cancellation);
            validation = new TrainingData(vFeatures, vLabels.Select(l => labelIndex[l]).ToArray(), dimension);
        }

        var loaded = await pipeline.ResolveAsync(command.Backbone, cancellation);
        var lane = loaded.PickLane();
        // After the last epoch the stage turns to "evaluating"; the last epoch's numbers stay in the snapshot to the end,
        // so a watcher that missed the training updates (a short training, or a reconnect) still reads them.
        var trainingProgress = new SyncProgress<(double Done, EpochMetrics Metrics)>(p => progress.Report(p.Done >= 1
            ? new JobProgress("evaluating", 0.95, p.Metrics.Epoch, p.Metrics.Step, p.Metrics.TrainLoss, p.Metrics.ValidationLoss, p.Metrics.ValidationAccuracy)
            : new JobProgress("training", 0.5 + 0.45 * p.Done, p.Metrics.Epoch, p.Metrics.Step, p.Metrics.TrainLoss, p.Metrics.ValidationLoss, p.Metrics.ValidationAccuracy)));
        var fitted = await HeadFitting.FitAsync(runtime, plan, trainInfo.Id, features, y, dimension, validation, labels, lane, job.Tag, trainingProgress, cancellation);
        // The last point at which a cancel is honoured: once the version is stored the job has published it and succeeds.
        cancellation.ThrowIfCancellationRequested();
        var result = fitted.Result;
        using var storing = TransferTelemetry.Source.StartActivity(TransferTelemetry.HeadStore);
        var stored = stores.Heads(command.Tenant).Add(new HeadRecord
        {
            Name = command.HeadName, Version = 0, Backbone = loaded.Manifest.Name, BackboneVersion = loaded.Manifest.Version,
            Labels = labels, DatasetId = trainInfo.Id, ValidationDatasetId = command.ValidationDatasetId, Config = result.Config,
            Evaluation = fitted.Evaluation, Temperature = fitted.Temperature, Weights = result.Weights, Search = result.Search, Created = time.GetUtcNow(),
            FamiliarityThreshold = fitted.FamiliarityThreshold, JobId = job.JobId,
        }, fitted.Neighbours);
        return $"{stored.Name} v{stored.Version}";
    }

    private static void CheckModality(DatasetInfo dataset, BackboneManifest backbone, string field)
    {
        var other = dataset.Modalities.Where(m => m != backbone.Modality).ToArray();
        if (other.Length > 0)
            throw TransferException.Invalid(field,
                $"dataset {dataset.Id} holds {string.Join(", ", other).ToLowerInvariant()} inputs; backbone '{backbone.Name}' takes {backbone.Modality.ToString().ToLowerInvariant()}");
    }
}
