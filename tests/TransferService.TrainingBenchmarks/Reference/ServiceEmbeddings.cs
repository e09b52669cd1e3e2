using TransferService.Core.Embeddings;
using TransferService.Core.Heads;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>A dataset's train and test rows as the service embeds them for training (its own pipeline, not normalised,
/// as a training job reads them), cached as raw float32 in the data folder so a later run skips the backbone.</summary>
internal static class ServiceEmbeddings
{
    private const int Chunk = 32;
    private const int ChunksInFlight = 4;

    public static async Task<(TrainingData Train, TrainingData Test)> LoadAsync(EmbeddingPipeline pipeline, LabelledSet set, string dataFolder)
    {
        var dimension = (await pipeline.ResolveAsync(set.Backbone, CancellationToken.None)).Manifest.Dimension;
        var train = await LoadAsync(pipeline, set.Backbone, set.TrainInputs, dimension, CacheFile(set, dataFolder, "train.f32"));
        var test = await LoadAsync(pipeline, set.Backbone, set.TestInputs, dimension, CacheFile(set, dataFolder, "test.f32"));
        return (new TrainingData(train, set.TrainLabels, dimension), new TrainingData(test, set.TestLabels, dimension));
    }

    /// <summary>Where the run keeps what it computed once for <paramref name="set"/>.</summary>
    public static string CacheFile(LabelledSet set, string dataFolder, string suffix) =>
        Path.Combine(dataFolder, $"reference-{new string(set.Name.TakeWhile(c => c != ' ').Select(char.ToLowerInvariant).ToArray())}-{suffix}");

    private static async Task<float[]> LoadAsync(EmbeddingPipeline pipeline, string backbone, IReadOnlyList<EmbeddingInput> inputs, int dimension, string cacheFile)
    {
        if (EmbeddingCacheFile.TryRead(cacheFile, inputs.Count * dimension) is { } cached) return cached;
        var features = new float[inputs.Count * dimension];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, (inputs.Count + Chunk - 1) / Chunk), new ParallelOptions { MaxDegreeOfParallelism = ChunksInFlight },
            async (chunk, cancellation) =>
            {
                var first = chunk * Chunk;
                var items = inputs.Skip(first).Take(Chunk).ToArray();
                var result = await pipeline.EmbedAsync(backbone, items, normalize: false, WorkTag.System, cancellation);
                result.Embeddings.CopyTo(features.AsSpan(first * dimension));
                if (Interlocked.Add(ref done, items.Length) is var n && n % 512 < items.Length) Console.Error.WriteLine($"embedding {Path.GetFileName(cacheFile)}: {n}/{inputs.Count}");
            });
        EmbeddingCacheFile.Write(cacheFile, features);
        return features;
    }
}
