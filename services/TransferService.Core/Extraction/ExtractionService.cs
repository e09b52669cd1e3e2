using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Heads;
using TransferService.Core.Jobs;
using TransferService.Core.Tenants;

namespace TransferService.Core.Extraction;

/// <summary>StartExtraction and DownloadExtraction: validates a request up front (backbone, source, heads, bounds), so
/// bad input fails the call with its field named, not a job later; resolves what may move (the backbone's version, each
/// head's alias or latest version) into the job's payload; and serves the files of a succeeded job.</summary>
public sealed class ExtractionService(
    TenantStores stores,
    BackboneRegistry backbones,
    ExtractionItems items,
    ExtractionOptions options,
    IJobRunner jobs)
{
    /// <summary>Reading a text source to check it can take a while: it stops when <paramref name="cancellationToken"/> is cancelled.</summary>
    public JobInfo Start(ExtractionRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Backbone)) throw TransferException.Invalid("backbone", "backbone is required");
        var manifest = backbones.Get(request.Backbone, "backbone").Manifest
            ?? throw new TransferException(ErrorCode.FailedPrecondition, $"backbone '{request.Backbone}' has an unreadable manifest", "backbone");
        if (request.SourceKind is not { } kind)
            throw TransferException.Invalid("source", "set the source: one of dataset_id, folder, jsonl_file or csv_file");
        if (request.Heads.Count > HeadClassifier.MaxHeads)
            throw TransferException.Invalid("heads", $"{request.Heads.Count} heads; one job classifies with at most {HeadClassifier.MaxHeads}");
        var spec = new ExtractionSpec(request.Backbone, manifest.Version, manifest.Dimension, kind, request.Source, request.Normalize,
            ResolveHeads(request.Tenant, request.Heads, manifest));
        CheckSource(request.Tenant, spec, manifest, cancellationToken);
        return jobs.Submit(new JobSubmission(request.Tenant, ExtractFeaturesJob.JobKind, request.Priority, ExtractionPayload.Write(spec), request.IdempotencyKey));
    }

    /// <summary>The file of a succeeded extraction job, opened for reading (the caller disposes it).</summary>
    public FileStream OpenDownload(string jobId, string tenant, ExtractionFile? file)
    {
        var job = jobs.Get(jobId, tenant);
        if (job.Kind != ExtractFeaturesJob.JobKind) throw new TransferException(ErrorCode.NotFound, $"job '{jobId}' is not an extraction job", "job_id");
        if (job.State != JobState.Succeeded)
            throw new TransferException(ErrorCode.FailedPrecondition, job.IsFinished
                ? $"job '{jobId}' ended {job.State.ToString().ToLowerInvariant()}: it has no files to download"
                : $"job '{jobId}' is {job.State.ToString().ToLowerInvariant()}: its files can be downloaded once it has succeeded", "job_id");
        if (file is not { } which) throw TransferException.Invalid("file", "file is required: embeddings, ids, predictions or prediction_columns");
        var path = new ExtractionFolder(stores.Root, tenant, jobId).Of(which);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException) when (which is ExtractionFile.Predictions or ExtractionFile.PredictionColumns)
        {
            throw new TransferException(ErrorCode.NotFound, $"job '{jobId}' classified with no heads: it has no predictions", "file");
        }
        catch (Exception e) when (Storage.StoredData.IsStorageFailure(e))
        {
            throw Storage.StoredData.Damaged($"extraction job {jobId}", Path.GetFileName(path), "job_id", e);
        }
    }

    private HeadReference[] ResolveHeads(string tenant, IReadOnlyList<HeadReference> references, BackboneManifest backbone)
    {
        var heads = stores.Heads(tenant);
        return references.Select((reference, i) =>
        {
            var field = $"heads[{i}]";
            var version = heads.Resolve(reference, field);
            HeadRecord record;
            try { record = heads.Read(reference.Name, version); }
            catch (TransferException e) { throw new TransferException(e.Code, e.Message, field, e); }
            if (record.Backbone != backbone.Name || record.BackboneVersion != backbone.Version)
                throw new TransferException(ErrorCode.FailedPrecondition,
                    $"head {record.Name} v{record.Version} was trained on backbone {record.Backbone} ({record.BackboneVersion}), not {backbone.Name} ({backbone.Version})", field);
            return new HeadReference(reference.Name, version);
        }).ToArray();
    }

    private void CheckSource(string tenant, ExtractionSpec spec, BackboneManifest backbone, CancellationToken cancellationToken)
    {
        var field = spec.SourceField;
        var takes = spec.SourceKind switch
        {
            ExtractionSourceKind.Dataset => backbone.Modality,
            ExtractionSourceKind.Folder => Modality.Image,
            _ => Modality.Text,
        };
        if (takes != backbone.Modality)
            throw TransferException.Invalid(field, $"{field} holds {takes.ToString().ToLowerInvariant()} inputs; backbone '{backbone.Name}' takes {backbone.Modality.ToString().ToLowerInvariant()}");
        switch (spec.SourceKind)
        {
            case ExtractionSourceKind.Dataset:
                var dataset = stores.Datasets(tenant).Get(spec.Source, field);
                var other = dataset.Modalities.Where(m => m != backbone.Modality).ToArray();
                if (other.Length > 0)
                    throw TransferException.Invalid(field, $"dataset {dataset.Id} holds {string.Join(", ", other).ToLowerInvariant()} inputs; backbone '{backbone.Name}' takes {backbone.Modality.ToString().ToLowerInvariant()}");
                if (dataset.Count > options.MaxItems)
                    throw TransferException.Invalid(field, $"dataset {dataset.Id} holds {dataset.Count} rows; one job extracts at most {options.MaxItems}");
                break;
            case ExtractionSourceKind.Folder:
                items.Imports(field).Images(spec.Source, field, options.MaxItems);
                break;
            default:
                items.CountTexts(spec, backbone.Text?.MaxCharacters ?? int.MaxValue, cancellationToken);
                break;
        }
    }
}
