using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Workloads;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;

namespace TransferService.Benchmarks;

/// <summary>Decode + resize + normalise alone, through the preparer the service uses for resnet18 (so the same SkiaSharp
/// code and the same output): one thread, then one thread per core, each preparing the files in rotation for
/// <see cref="BenchmarkOptions.Duration"/>. Whether decoding can become the ceiling is the per-core rate against the
/// model's images/s.</summary>
internal sealed class DecodeBenchmark(BenchmarkOptions options, IServiceProvider services)
{
    public async Task<DecodeThroughput> RunAsync(EncodedImageWorkload workload, double modelImagesPerSecond)
    {
        var registry = services.GetRequiredService<BackboneRegistry>();
        var preparer = (await registry.GetForInferenceAsync(workload.Model, "backbone", default)).Preparer;
        var inputs = workload.Files.Select(f => (EmbeddingInput)new EncodedImageInput(f)).ToArray();
        Rate(preparer, inputs, 1, options.Warmup);
        var perCore = Rate(preparer, inputs, 1, options.Duration);
        var allCores = Rate(preparer, inputs, Environment.ProcessorCount, options.Duration);
        Console.Error.WriteLine($"decode {workload.Name}: {perCore:F1} images/s on one thread, {allCores:F1} on {Environment.ProcessorCount}");
        return new DecodeThroughput(workload.Name, workload.Files.Average(f => f.Length) / 1024.0, perCore, allCores,
            Environment.ProcessorCount, modelImagesPerSecond);
    }

    private static double Rate(IInputPreparer preparer, EmbeddingInput[] inputs, int threads, TimeSpan duration)
    {
        var prepared = 0L;
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (var i = t; Stopwatch.GetTimestamp() < stopAt; i++)
            {
                preparer.Prepare(inputs[i % inputs.Length]);
                Interlocked.Increment(ref prepared);
            }
        })).ToArray();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        return prepared / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
