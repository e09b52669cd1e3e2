using Google.Protobuf;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>A call larger than its share of the budget is prepared in turns, with the same answers as before.</summary>
[Collection(PreparationCollection.Name)]
public sealed class PreparationResultsTests(PreparationServer server)
{
    private const int Count = 40;

    private static Input[] FashionMnistPngs()
    {
        var (images, _) = FashionMnist.Load(train: false, count: Count);
        return images.Select(image => new Input { Image = ByteString.CopyFrom(TestImages.EncodePng(TestImages.ToRgb224(image))) }).ToArray();
    }

    [Fact]
    public async Task Embed_CallOverItsShare_SameEmbeddingsAsEachImageAlone()
    {
        var inputs = FashionMnistPngs();

        var together = await server.Client.EmbedAsync(new EmbedRequest { Backbone = "resnet18", Inputs = { inputs } });

        for (var i = 0; i < Count; i++)
        {
            var alone = await server.Client.EmbedAsync(new EmbedRequest { Backbone = "resnet18", Inputs = { inputs[i] } });
            var row = together.Embeddings.Skip(i * 512).Take(512).ToArray();
            Assert.Equal(alone.Embeddings.ToArray(), row, (a, b) => Math.Abs(a - b) <= 1e-5f);
        }
    }

    [Fact]
    public async Task Embed_BadImageAfterTheShareWasQueued_InvalidArgumentNamingIt()
    {
        var inputs = FashionMnistPngs();
        inputs[30] = new Input { Image = ByteString.CopyFrom(inputs[30].Image.Span[..100]) };

        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => server.Client.EmbedAsync(new EmbedRequest { Backbone = "resnet18", Inputs = { inputs } }).ResponseAsync, "inputs[30].image");

        Assert.Contains("truncated", message);
    }
}
