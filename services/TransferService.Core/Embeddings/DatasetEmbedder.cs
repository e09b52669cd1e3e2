using TransferService.Core.Datasets;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;
using TransferService.Core.Telemetry;

namespace TransferService.Core.Embeddings;

/// <summary>A dataset's embeddings under one backbone: cached ones are read, the rest computed through the
/// embedding pipeline in chunks and cached.</summary>
public sealed class DatasetEmbedder(EmbeddingPipeline pipeline, EmbeddingCache cache, TransferMetrics? metrics = null)
{
    private const int ChunkSize = 64;

    /// <summary>Embeddings [Count × dimension] row-major and the label of each row, in dataset order.</summary>
    public async Task<(float[] Features, string[] Labels, int Dimension)> EmbedAsync(DatasetStore datasets, string datasetId, string backbone,
        WorkTag tag, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var info = datasets.Get(datasetId);
        var loaded = await pipeline.ResolveAsync(backbone, cancellationToken);
        var dimension = loaded.Manifest.Dimension;
        var features = new float[info.Count * dimension];
        var labels = new string[info.Count];
        var missing = new List<(int Row, string Key, EmbeddingInput Input)>();
        var row = 0;
        var misses = 0;
        foreach (var example in datasets.ReadExamples(datasetId))
        {
            // Cached rows never reach the pipeline, which is what otherwise observes the token.
            cancellationToken.ThrowIfCancellationRequested();
            labels[row] = example.Label;
            var key = EmbeddingCache.Key(example.Input);
            if (!cache.TryGet(loaded.Manifest, key, features.AsSpan(row * dimension, dimension)))
            {
                missing.Add((row, key, example.Input));
                misses++;
            }
            if (missing.Count == ChunkSize) await ComputeAsync(missing);
            row++;
            progress?.Report(row);
        }
        await ComputeAsync(missing);
        metrics?.RecordCache(backbone, row - misses, misses);
        return (features, labels, dimension);

        async Task ComputeAsync(List<(int Row, string Key, EmbeddingInput Input)> chunk)
        {
            if (chunk.Count == 0) return;
            EmbeddingResult result;
            try
            {
                result = await pipeline.EmbedAsync(backbone, chunk.ConvertAll(m => m.Input), normalize: false, tag, cancellationToken);
            }
            catch (TransferException e) when (e.Code == ErrorCode.InvalidArgument)
            {
                // The pipeline names the item within this chunk (inputs[i]); the caller needs the dataset row.
                var match = System.Text.RegularExpressions.Regex.Match(e.Field ?? "", @"^inputs\[(\d+)\]");
                var example = match.Success ? $"example {chunk[int.Parse(match.Groups[1].Value)].Row}" : "an example";
                var reason = match.Success ? e.Message[(e.Message.IndexOf(':') + 2)..] : e.Message;
                throw new TransferException(ErrorCode.InvalidArgument,
                    $"dataset {datasetId}: backbone '{backbone}' cannot embed {example}: {reason}", "dataset_id", e);
            }
            for (var i = 0; i < chunk.Count; i++)
            {
                var embedding = result.Embeddings.AsSpan(i * dimension, dimension);
                embedding.CopyTo(features.AsSpan(chunk[i].Row * dimension, dimension));
                cache.Put(loaded.Manifest, chunk[i].Key, embedding);
            }
            chunk.Clear();
        }
    }
}
