using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using SkiaSharp;
using TransferService.Contracts.V1;
using Xunit.Abstractions;

namespace TransferService.Tests.Hostile;

/// <summary>Tiny images that expand a thousandfold when prepared cannot make the server hold more than its
/// preparation budget, however many such calls arrive at once.</summary>
[Collection(PreparationCollection.Name)]
public sealed class PreparationAmplificationTests(PreparationServer server, ITestOutputHelper output)
{
    private const int Calls = 8;
    private const int ImagesPerCall = 128;
    /// <summary>What the calls hold besides prepared inputs: messages, embeddings, gRPC and batch buffers.</summary>
    private const long Slack = 32L * 1024 * 1024;

    private static ByteString OnePixelPng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(1, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.SetPixel(0, 0, new SKColor(200, 100, 50));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return ByteString.CopyFrom(data.ToArray());
    }

    /// <summary>Live managed bytes after a full collection, and the process's working set.</summary>
    private static (long Live, long WorkingSet) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }

    [Fact]
    public async Task Embed_ConcurrentCallsOfOnePixelImages_LiveMemoryStaysWithinTheBudget()
    {
        var png = OnePixelPng();
        var request = new EmbedRequest { Backbone = "resnet18" };
        for (var i = 0; i < ImagesPerCall; i++) request.Inputs.Add(new Input { Image = png });
        var before = Measure();
        var peak = before;
        var peakHeap = GC.GetGCMemoryInfo().HeapSizeBytes;
        var watch = Stopwatch.StartNew();

        var calls = Enumerable.Range(0, Calls).Select(_ => server.Client.EmbedAsync(request).ResponseAsync).ToArray();
        var all = Task.WhenAll(calls).ContinueWith(_ => { }, TaskScheduler.Default);
        while (!all.IsCompleted)
        {
            peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
            var now = Measure();
            peak = (Math.Max(peak.Live, now.Live), Math.Max(peak.WorkingSet, now.WorkingSet));
            await Task.WhenAny(all, Task.Delay(250));
        }
        var after = Measure();

        const double MiB = 1024 * 1024;
        output.WriteLine($"{Calls} calls x {ImagesPerCall} 1x1 PNGs ({request.CalculateSize() / 1024} KB each) in {watch.Elapsed.TotalSeconds:F1} s; " +
                         $"unbounded they would prepare {Calls * ImagesPerCall * 3 * 224 * 224 * 4 / MiB:F0} MiB");
        output.WriteLine($"live heap MiB: before {before.Live / MiB:F0}, peak {peak.Live / MiB:F0}, after {after.Live / MiB:F0}; " +
                         $"GC heap size peak {peakHeap / MiB:F0}; working set MiB: before {before.WorkingSet / MiB:F0}, " +
                         $"peak {peak.WorkingSet / MiB:F0}, after {after.WorkingSet / MiB:F0}");
        foreach (var call in calls)
        {
            try { Assert.Equal(ImagesPerCall * 512, (await call).Embeddings.Count); }
            catch (RpcException e) { Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode); }
        }
        Assert.InRange(peak.Live - before.Live, 0, PreparationServer.MaxPreparedBytes + Slack);
    }
}
