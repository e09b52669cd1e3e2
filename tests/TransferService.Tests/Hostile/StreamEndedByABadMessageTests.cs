using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Contracts.V1;
using TransferService.Core.Backbones;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>An EmbedStream that a bad message ends while items are still in flight: the call fails with the message's
/// status, and the items it had started stop with it instead of running the model for a call that is over.</summary>
[Collection(ServerCollection.Name)]
public sealed class StreamEndedByABadMessageTests(ServerFixture server)
{
    private const int Items = 96;

    /// <summary>A message whose id is 0xFF, not UTF-8.</summary>
    private static readonly byte[] UndecodableFrame = ProtocolRawCall.Frame([0x0A, 0x01, 0xFF]);

    /// <summary>EmbedStream request frames of <paramref name="count"/> black 224×224 images for resnet18.</summary>
    private static byte[] ItemFrames(int count)
    {
        var image = new Input { Pixels = new RawPixels { Data = ByteString.CopyFrom(new byte[224 * 224 * 3]), Width = 224, Height = 224, Channels = 3 } };
        return Enumerable.Range(0, count).SelectMany(i =>
            ProtocolRawCall.Frame(new EmbedStreamRequest { Id = $"item-{i}", Backbone = "resnet18", Input = image }.ToByteArray())).ToArray();
    }

    [Fact]
    public async Task EmbedStream_UndecodableMessageAfterManyItems_InvalidArgumentAndTheItemsStop()
    {
        byte[] body = [.. ItemFrames(Items), .. UndecodableFrame];
        var backbone = await server.App.Services.GetRequiredService<BackboneRegistry>().GetForInferenceAsync("resnet18", "backbone", default);
        var before = backbone.ItemsEmbedded;

        var (code, _) = await ProtocolRawCall.SendAsync(server.App, "transfer.v1.EmbeddingService/EmbedStream", body);
        var whenTheCallEnded = backbone.ItemsEmbedded;
        // Long enough for the 96 images to have run had they gone on (resnet18 embeds them in about 1.5 s on 2 cores).
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = backbone.ItemsEmbedded;

        Assert.Equal(StatusCode.InvalidArgument, code);
        // At most the batch already running when the call ended may finish (a batch holds up to 32 images).
        Assert.True(after - whenTheCallEnded <= 32,
            $"{after - whenTheCallEnded} items embedded after the call ended ({whenTheCallEnded - before} before it, of {Items})");
    }

    [Fact]
    public async Task EmbedStream_BadMessageWhileAnswersWaitForTheClientToRead_TheStatusStillArrives()
    {
        // 64 answers of 512 floats fill this client's 64 KiB HTTP/2 window while it does not read: the server's next
        // answer write waits when the bad message ends the call. The call must end with its status, not a reset stream.
        var backbone = await server.App.Services.GetRequiredService<BackboneRegistry>().GetForInferenceAsync("resnet18", "backbone", default);
        var before = backbone.ItemsEmbedded;
        var body = new GatedContent(ItemFrames(Items), async () =>
        {
            while (backbone.ItemsEmbedded - before < 64) await Task.Delay(20);
        }, UndecodableFrame);

        var (code, message) = await ProtocolRawCall.SendAsync(server.App, "transfer.v1.EmbeddingService/EmbedStream", body,
            beforeReading: async () =>
            {
                await body.Sent;
                await Task.Delay(TimeSpan.FromSeconds(1)); // the server reads the bad message and ends the call meanwhile
            });

        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Contains("id", message);
    }

    /// <summary>A request body sent in two parts: the second once <c>gate</c> completes.</summary>
    private sealed class GatedContent(byte[] first, Func<Task> gate, byte[] last) : HttpContent
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Sent => _sent.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await gate();
            await stream.WriteAsync(last);
            await stream.FlushAsync();
            _sent.TrySetResult();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
