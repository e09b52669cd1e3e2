using System.Diagnostics;
using TransferService.Core.Heads;

namespace TransferService.TrainingBenchmarks.Dataset;

/// <summary>The first 2,000 Fashion-MNIST training items as resnet18 embeddings, from the cache file when it is
/// there, else embedded once (about a minute on two cores) and cached.</summary>
internal static class EmbeddedFashionMnist
{
    public const int Items = 2000;

    public static TrainingData Load(TrainingBenchmarkOptions options)
    {
        var labels = FashionMnistFiles.ReadLabels(Items);
        var features = EmbeddingCacheFile.TryRead(options.EmbeddingCacheFile, Items * ResnetEmbedder.Dimension);
        if (features is null)
        {
            features = Embed(options);
            EmbeddingCacheFile.Write(options.EmbeddingCacheFile, features);
        }
        else Console.Error.WriteLine($"embeddings: {options.EmbeddingCacheFile} (cached)");
        return new TrainingData(features, labels, ResnetEmbedder.Dimension);
    }

    private static float[] Embed(TrainingBenchmarkOptions options)
    {
        if (!File.Exists(options.BackboneFile))
            throw new FileNotFoundException(
                $"{options.BackboneFile} is missing. Install the built-in backbones into {options.DataFolder} once, with " +
                "`dotnet run -c Release --project tests/TransferService.Benchmarks -- --seconds 1 --only resnet18` " +
                "(or start the service with --Service:DataFolder=bench-data), or point --data at a folder that has them.");
        var pixels = FashionMnistFiles.ReadImages(Items);
        var watch = Stopwatch.StartNew();
        using var embedder = new ResnetEmbedder(options.BackboneFile, options.Device);
        var progress = new Progress<int>(done => { if (done % 500 < 32) Console.Error.WriteLine($"embedding: {done}/{Items}"); });
        var features = embedder.Embed(pixels, Items, FashionMnistFiles.Side, progress);
        Console.Error.WriteLine($"embedding: {Items} items in {watch.Elapsed.TotalSeconds:F0} s, cached to {options.EmbeddingCacheFile}");
        return features;
    }
}
