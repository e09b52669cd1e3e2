using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Heads;
using TransferService.Core.Jobs;
using TransferService.Core.Storage;
using TransferService.Core.Tenants;

namespace TransferService.Core.Extraction;

/// <summary>Runs an extraction job: on its first run it freezes the item list and creates the output files at their final
/// size; then, chunk by chunk from the first unfinished one, it embeds the rows (and scores them with the heads) under the
/// job's <see cref="IJobContext.Tag"/>, writes them at their offsets, flushes them to disk and only then commits
/// "chunk k done". A resumed run never embeds a committed chunk again, and writes the same bytes an uninterrupted run
/// would. It neither reads nor fills the embedding cache: the output file is the durable copy of every finished row
/// (a cache would double the disk an extraction takes for rows no training asked for), and every row of a resumed
/// job that is embedded is one the crash lost, which the backbone's item counter can show.</summary>
public sealed class ExtractFeaturesJob(
    EmbeddingPipeline pipeline,
    ChunkEmbedder chunks,
    TenantStores stores,
    ExtractionItems items,
    ExtractionOptions options,
    ExtractionCleanup cleanup,
    TimeProvider time) : IJobHandler
{
    public const string JobKind = "extract_features";

    public string Kind => JobKind;

    public async Task<string> RunAsync(IJobContext context, CancellationToken cancellationToken)
    {
        var spec = ExtractionPayload.Read<ExtractionSpec>(context.Payload);
        var folder = new ExtractionFolder(stores.Root, context.Tenant, context.JobId);
        try
        {
            var loaded = await pipeline.ResolveAsync(spec.Backbone, cancellationToken);
            if (loaded.Manifest.Version != spec.BackboneVersion)
                throw new TransferException(ErrorCode.FailedPrecondition,
                    $"backbone '{spec.Backbone}' is now version {loaded.Manifest.Version}; the job started on {spec.BackboneVersion} and cannot mix the two", "backbone");
            var heads = spec.Heads.Select(h => stores.Heads(context.Tenant).Read(h.Name, h.Version)).ToArray();
            var columns = heads.Sum(h => h.Labels.Length);
            var checkpoint = context.Checkpoint is { } stored
                ? ExtractionPayload.Read<ExtractionCheckpoint>(stored)
                : await FreezeAsync(context, spec, folder, heads, loaded.Manifest.Text?.MaxCharacters ?? int.MaxValue, cancellationToken);
            var rate = new ExtractionRate(time, checkpoint.Rows, checkpoint.RowsDone);
            using var source = items.Read(context.Tenant, spec, folder, checkpoint.RowsDone).GetEnumerator();
            for (var chunk = checkpoint.ChunksDone; chunk < checkpoint.Chunks; chunk++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var first = chunk * checkpoint.ChunkSize;
                var rows = Math.Min(checkpoint.ChunkSize, checkpoint.Rows - first);
                var (embeddings, predictions) = await chunks.EmbedAsync(context.Tenant, context.Tag, spec, source, first, rows, columns, cancellationToken);
                NpyFile.WriteRows(folder.Embeddings, checkpoint.Rows, spec.Dimension, first, embeddings);
                if (columns > 0) NpyFile.WriteRows(folder.Predictions, checkpoint.Rows, columns, first, predictions);
                var progress = rate.After(first + rows);
                await context.CommitCheckpointAsync(ExtractionPayload.Write(checkpoint with { ChunksDone = chunk + 1 }), progress, cancellationToken);
                context.Report(progress);
            }
            return $"{checkpoint.Rows} rows × {spec.Dimension} ({spec.Backbone})" + (columns > 0 ? $", {columns} prediction columns" : "");
        }
        catch (Exception e) when (e is OperationCanceledException or TransferException || StoredData.IsStorageFailure(e))
        {
            // A cancel, a lost lease, shutdown or a failure: the files go only once the job has ended for good (cancelled
            // or failed), never while another run may resume from them.
            cleanup.RemoveWhenAbandoned(context.JobId, context.Tenant, folder);
            if (StoredData.IsStorageFailure(e)) throw StoredData.WriteFailed($"extraction job {context.JobId}", "job_id", e);
            throw;
        }
    }

    private async Task<ExtractionCheckpoint> FreezeAsync(IJobContext context, ExtractionSpec spec, ExtractionFolder folder, HeadRecord[] heads,
        int maxTextCharacters, CancellationToken cancellationToken)
    {
        folder.Reset();
        var rows = items.Freeze(context.Tenant, spec, folder, maxTextCharacters);
        NpyFile.Create(folder.Embeddings, rows, spec.Dimension);
        if (heads.Length > 0)
        {
            NpyFile.Create(folder.Predictions, rows, heads.Sum(h => h.Labels.Length));
            ExtractionFolder.WriteLines(folder.PredictionColumns, heads.SelectMany(h => h.Labels.Select(l => $"{h.Name} v{h.Version}:{l}")));
        }
        var checkpoint = new ExtractionCheckpoint(rows, options.ChunkSize, 0);
        var progress = new JobProgress("extracting", 0, ItemsTotal: rows);
        await context.CommitCheckpointAsync(ExtractionPayload.Write(checkpoint), progress, cancellationToken);
        context.Report(progress);
        return checkpoint;
    }
}
