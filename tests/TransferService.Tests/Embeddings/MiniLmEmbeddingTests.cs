using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Embeddings;

[Collection(ServerCollection.Name)]
public sealed class MiniLmEmbeddingTests(ServerFixture server)
{
    private readonly EmbeddingService.EmbeddingServiceClient _client = new(server.Channel);

    [Fact]
    public async Task Embed_SentenceTransformersReferencePairs_MatchPublishedCosines()
    {
        var reply = await _client.EmbedAsync(new EmbedRequest
        {
            Backbone = "minilm",
            Inputs =
            {
                new Input { Text = "A man is eating food." },
                new Input { Text = "A man is eating a piece of bread." },
                new Input { Text = "A man is eating pasta." },
            },
        });

        Assert.Equal(384u, reply.Dimension);
        Assert.Equal(0.7035, Vectors.Cosine(Vectors.Row(reply, 0), Vectors.Row(reply, 2)), 0.002);
        Assert.Equal(0.5272, Vectors.Cosine(Vectors.Row(reply, 1), Vectors.Row(reply, 2)), 0.002);
        Assert.Equal(1.0, Math.Sqrt(Vectors.Row(reply, 0).Sum(v => v * v)), 1e-5);
    }

    [Fact]
    public async Task Embed_TextOverTokenLimit_IsTruncatedAndReported()
    {
        var longText = string.Join(' ', Enumerable.Repeat("transfer learning as infrastructure", 200));

        var reply = await _client.EmbedAsync(new EmbedRequest
        {
            Backbone = "minilm",
            Inputs = { new Input { Text = longText }, new Input { Text = "short text" } },
        });

        Assert.Equal(256u, reply.Reports[0].Tokens);
        Assert.True(reply.Reports[0].Truncated);
        Assert.Equal(4u, reply.Reports[1].Tokens);
        Assert.False(reply.Reports[1].Truncated);
    }
}
