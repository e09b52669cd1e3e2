using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using SkiaSharp;
using TransferService.Contracts.V1;
using Xunit.Abstractions;

namespace TransferService.Tests.Hostile;

/// <summary>A client that gives up stops the server's work: items not yet prepared are never prepared.</summary>
[Collection(PreparationCollection.Name)]
public sealed class PreparationCancellationTests(PreparationServer server, ITestOutputHelper output)
{
    /// <summary>A 2000×2000 PNG: legal, small on the wire, expensive to decode and shrink to 224×224.</summary>
    private static ByteString LargePng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(2000, 2000, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = bitmap.GetPixelSpan();
        for (var p = 0; p < pixels.Length; p += 4)
        {
            var x = p / 4 % 2000;
            var y = p / 4 / 2000;
            pixels[p] = (byte)(x / 8);
            pixels[p + 1] = (byte)(y / 8);
            pixels[p + 2] = (byte)((x + y) / 16);
            pixels[p + 3] = 255;
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return ByteString.CopyFrom(data.ToArray());
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    [Fact]
    public async Task Embed_ClientCancelsAfterTwoSeconds_ServerStopsWorkingWithinASecond()
    {
        var png = LargePng();
        var request = new EmbedRequest { Backbone = "resnet18" };
        for (var i = 0; i < 300; i++) request.Inputs.Add(new Input { Image = png });
        using var cancel = new CancellationTokenSource();

        var cpuAtStart = ProcessCpu();
        var call = server.Client.EmbedAsync(request, cancellationToken: cancel.Token).ResponseAsync;
        await Task.Delay(TimeSpan.FromSeconds(2));
        cancel.Cancel();
        var cpuAtCancel = ProcessCpu();
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var cpuSettled = ProcessCpu();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var cpuAfter = ProcessCpu();

        output.WriteLine($"request {request.CalculateSize() / 1024} KB; CPU s: working {(cpuAtCancel - cpuAtStart).TotalSeconds:F2}, " +
                         $"first second after cancel {(cpuSettled - cpuAtCancel).TotalSeconds:F2}, next 3 s {(cpuAfter - cpuSettled).TotalSeconds:F2}");
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.True(cpuAtCancel - cpuAtStart > TimeSpan.FromSeconds(0.5), "the server was not busy before the cancellation");
        Assert.True(cpuAfter - cpuSettled < TimeSpan.FromSeconds(1), $"{(cpuAfter - cpuSettled).TotalSeconds:F2} CPU s after the cancellation settled");
    }
}
