using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Embeddings;

[Collection(ServerCollection.Name)]
public sealed class EmbedStreamTests(ServerFixture server)
{
    private readonly EmbeddingService.EmbeddingServiceClient _client = new(server.Channel);

    [Fact]
    public async Task EmbedStream_2000Items_AllAnsweredWithMatchingIdsAndOneBadItemReported()
    {
        TinyTensorBackbone.Create(server.ModelRepository, "tiny-stream");
        const int count = 2000;
        const int bad = 1000;
        using var call = _client.EmbedStream();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                float[] x = i == bad ? [1, 2, 3] : [i, 1, -i, 0.5f];
                await call.RequestStream.WriteAsync(new EmbedStreamRequest
                {
                    Id = $"item-{i}", Backbone = "tiny-stream", Input = new Input { Tensor = new FloatTensor { Shape = { x.Length }, Values = { x } } },
                });
            }
            await call.RequestStream.CompleteAsync();
        });

        var answers = new Dictionary<string, EmbedStreamResponse>();
        await foreach (var answer in call.ResponseStream.ReadAllAsync()) answers.Add(answer.Id, answer);
        await sending;

        Assert.Equal(count, answers.Count);
        var error = answers[$"item-{bad}"].Error;
        Assert.Equal((int)StatusCode.InvalidArgument, error.Code);
        Assert.Equal("input.tensor.shape", error.Field);
        for (var i = 0; i < count; i++)
        {
            if (i == bad) continue;
            var answer = answers[$"item-{i}"];
            Assert.Equal(EmbedStreamResponse.ResultOneofCase.Embedding, answer.ResultCase);
            Assert.Equal(TinyTensorBackbone.Expected([i, 1, -i, 0.5f]), answer.Embedding.Values.ToArray());
        }
    }

    [Fact]
    public async Task EmbedStream_ItemWithPixelsTooWide_ItemErrorNamesTheInputField()
    {
        using var call = _client.EmbedStream();
        await call.RequestStream.WriteAsync(new EmbedStreamRequest
        {
            Id = "wide", Backbone = "resnet18", Input = new Input { Pixels = new RawPixels { Width = 1 << 21, Height = 1, Channels = 3 } },
        });
        await call.RequestStream.CompleteAsync();

        var answer = Assert.Single(await call.ResponseStream.ReadAllAsync().ToListAsync());

        Assert.Equal(((int)StatusCode.InvalidArgument, "input.pixels.width"), (answer.Error.Code, answer.Error.Field));
    }
}
