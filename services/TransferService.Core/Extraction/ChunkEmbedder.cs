using System.Text.RegularExpressions;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Heads;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;
using TransferService.Core.Tenants;

namespace TransferService.Core.Extraction;

/// <summary>Embeds one chunk of an extraction job's rows (and scores them with its heads) under the job's tag, keeping at
/// most <see cref="ExtractionOptions.MaxItemsInFlight"/> items and <see cref="ExtractionOptions.MaxBatchBytes"/> input
/// bytes queued on the lanes at once: a job never floods a lane's queue of its class, and its memory does not grow with
/// the chunk size. Without heads each row goes through the pipeline on its own (the batcher still forms full batches
/// from the rows in flight, and preparation overlaps the model runs); with heads, in calls of at most that many rows,
/// so each call is one backbone pass for every head.</summary>
public sealed class ChunkEmbedder(EmbeddingPipeline pipeline, HeadClassifier classifier, TenantStores stores, ExtractionOptions options)
{
    /// <summary>Rows [<paramref name="first"/>, +<paramref name="rows"/>) from <paramref name="source"/>: embeddings
    /// [rows × dimension] and predictions [rows × <paramref name="columns"/>].</summary>
    public async Task<(float[] Embeddings, float[] Predictions)> EmbedAsync(string tenant, WorkTag tag, ExtractionSpec spec,
        IEnumerator<(EmbeddingInput Input, long Bytes)> source, int first, int rows, int columns, CancellationToken cancellationToken)
    {
        var embeddings = new float[rows * spec.Dimension];
        var predictions = new float[rows * columns];
        try
        {
            if (columns == 0) await EmbedRowsAsync(tag, spec, source, rows, embeddings, cancellationToken);
            else await ClassifyRowsAsync(tenant, tag, spec, source, rows, columns, embeddings, predictions, cancellationToken);
        }
        catch (TransferException e) when (e.Code == ErrorCode.InvalidArgument && ItemIndex(e) is { } item)
        {
            // The pipeline names the item within this chunk; the caller needs the row of its source.
            throw TransferException.Invalid(spec.SourceField, $"{spec.SourceField}: row {first + item} cannot be embedded: {e.Message[(e.Message.IndexOf(':') + 2)..]}");
        }
        return (embeddings, predictions);
    }

    private async Task EmbedRowsAsync(WorkTag tag, ExtractionSpec spec, IEnumerator<(EmbeddingInput Input, long Bytes)> source, int rows,
        float[] embeddings, CancellationToken cancellationToken)
    {
        using var chunk = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var share = pipeline.CreateShare();
        var pending = new List<Task<long>>();
        var bytes = 0L;
        try
        {
            for (var row = 0; row < rows; row++)
            {
                var (input, size) = Next(source, spec);
                while (pending.Count > 0 && (pending.Count >= options.MaxItemsInFlight || bytes + size > options.MaxBatchBytes))
                {
                    var done = await Task.WhenAny(pending);
                    pending.Remove(done);
                    bytes -= await done;
                }
                bytes += size;
                pending.Add(EmbedRowAsync(spec, input, size, row, share, tag, embeddings, chunk.Token));
            }
            await Task.WhenAll(pending);
        }
        catch
        {
            // The first failure fails the chunk: the rest of its rows are dropped before they run.
            await chunk.CancelAsync();
            await ((Task)Task.WhenAll(pending)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private async Task<long> EmbedRowAsync(ExtractionSpec spec, EmbeddingInput input, long size, int row, PreparationShare share, WorkTag tag,
        float[] embeddings, CancellationToken cancellationToken)
    {
        var (vector, _) = await pipeline.EmbedOneAsync(spec.Backbone, input, spec.Normalize, $"inputs[{row}]", share, tag, cancellationToken);
        vector.CopyTo(embeddings.AsSpan(row * spec.Dimension, spec.Dimension));
        return size;
    }

    private async Task ClassifyRowsAsync(string tenant, WorkTag tag, ExtractionSpec spec, IEnumerator<(EmbeddingInput Input, long Bytes)> source,
        int rows, int columns, float[] embeddings, float[] predictions, CancellationToken cancellationToken)
    {
        var batch = new List<EmbeddingInput>();
        var (done, bytes) = (0, 0L);
        for (var row = 0; row < rows; row++)
        {
            var (input, size) = Next(source, spec);
            batch.Add(input);
            bytes += size;
            if (bytes < options.MaxBatchBytes && batch.Count < Math.Min(options.MaxItemsInFlight, pipeline.MaxInputsPerCall) && row < rows - 1) continue;
            try
            {
                var (raw, scored) = await classifier.ClassifyAsync(stores.Heads(tenant), spec.Backbone, spec.Heads, batch, tag, cancellationToken);
                raw.Embeddings.CopyTo(embeddings.AsSpan(done * spec.Dimension));
                // Heads score the backbone's own embeddings; the caller's normalisation applies to the written rows only.
                if (spec.Normalize && !raw.Manifest.Normalize)
                    for (var i = done; i < done + batch.Count; i++) EmbeddingPipeline.Normalize(embeddings.AsSpan(i * spec.Dimension, spec.Dimension));
                var offset = 0;
                foreach (var head in scored)
                {
                    var labels = head.Head.Labels.Length;
                    for (var i = 0; i < batch.Count; i++)
                        head.Probabilities.AsSpan(i * labels, labels).CopyTo(predictions.AsSpan((done + i) * columns + offset, labels));
                    offset += labels;
                }
            }
            catch (TransferException e) when (ItemIndex(e) is { } item)
            {
                // Named within this call; the chunk counts from its own first row.
                throw new TransferException(e.Code, e.Message, $"inputs[{done + item}]", e);
            }
            (done, bytes) = (done + batch.Count, 0);
            batch.Clear();
        }
    }

    /// <summary>i of a field "inputs[i]…", or null.</summary>
    private static int? ItemIndex(TransferException e) =>
        Regex.Match(e.Field ?? "", @"^inputs\[(\d+)\]") is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static (EmbeddingInput Input, long Bytes) Next(IEnumerator<(EmbeddingInput Input, long Bytes)> source, ExtractionSpec spec) =>
        source.MoveNext() ? source.Current
            : throw new TransferException(ErrorCode.FailedPrecondition, $"{spec.SourceField} has fewer rows than when the job started", spec.SourceField);
}
