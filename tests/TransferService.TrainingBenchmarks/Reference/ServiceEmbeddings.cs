using TransferService.Core.Embeddings;
using TransferService.Core.Heads;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>A dataset's train and test rows as the service embeds them for training (its own pipeline, not normalised,
/// as a training job reads them), cached as raw float32 in the data folder so a later run skips the backbone. A cache
/// is used only while the service still embeds its first rows to the same values (a change to the inputs, the
/// backbone or the service's preprocessing shows there); when either split is embedded afresh, the set's
/// scikit-learn result, fitted on the old embeddings, is dropped too.</summary>
internal static class ServiceEmbeddings
{
    private const int Chunk = 32;
    private const int ChunksInFlight = 4;
    private const int SpotCheckRows = 4;

    public static async Task<(TrainingData Train, TrainingData Test)> LoadAsync(EmbeddingPipeline pipeline, LabelledSet set, string dataFolder)
    {
        var dimension = (await pipeline.ResolveAsync(set.Backbone, CancellationToken.None)).Manifest.Dimension;
        var (train, freshTrain) = await LoadAsync(pipeline, set.Backbone, set.TrainInputs, dimension, CacheFile(set, dataFolder, "train.f32"));
        var (test, freshTest) = await LoadAsync(pipeline, set.Backbone, set.TestInputs, dimension, CacheFile(set, dataFolder, "test.f32"));
        if (freshTrain || freshTest) File.Delete(CacheFile(set, dataFolder, "sklearn.json"));
        return (new TrainingData(train, set.TrainLabels, dimension), new TrainingData(test, set.TestLabels, dimension));
    }

    /// <summary>Where the run keeps what it computed once for <paramref name="set"/>.</summary>
    public static string CacheFile(LabelledSet set, string dataFolder, string suffix) =>
        Path.Combine(dataFolder, $"reference-{new string(set.Name.TakeWhile(c => c != ' ').Select(char.ToLowerInvariant).ToArray())}-{suffix}");

    /// <returns>The embeddings, and whether they were computed now (not read from the cache).</returns>
    private static async Task<(float[] Features, bool Fresh)> LoadAsync(EmbeddingPipeline pipeline, string backbone, IReadOnlyList<EmbeddingInput> inputs,
        int dimension, string cacheFile)
    {
        if (EmbeddingCacheFile.TryRead(cacheFile, inputs.Count * dimension) is { } cached)
        {
            if (await StillMatchesAsync(pipeline, backbone, inputs, cached)) return (cached, false);
            Console.Error.WriteLine($"{Path.GetFileName(cacheFile)}: the service now embeds its first rows differently; embedding again");
        }
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
        return (features, true);
    }

    /// <summary>Whether the service embeds the first <see cref="SpotCheckRows"/> inputs as cached, within what a different
    /// batch composition may change in the last digits.</summary>
    private static async Task<bool> StillMatchesAsync(EmbeddingPipeline pipeline, string backbone, IReadOnlyList<EmbeddingInput> inputs, float[] cached)
    {
        var rows = inputs.Take(SpotCheckRows).ToArray();
        var now = (await pipeline.EmbedAsync(backbone, rows, normalize: false, WorkTag.System, CancellationToken.None)).Embeddings;
        for (var i = 0; i < now.Length; i++)
            if (Math.Abs(now[i] - cached[i]) > 1e-3f * (1 + Math.Abs(cached[i]))) return false;
        return true;
    }
}
