using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TransferService.Tests.Embeddings;

[Collection(ServerCollection.Name)]
public sealed class FashionMnistAccuracyTests(ServerFixture server, ITestOutputHelper output)
{
    private readonly EmbeddingService.EmbeddingServiceClient _client = new(server.Channel);

    [Fact]
    public async Task NearestCentroid_OnResNet18Embeddings_IsFarAboveChance()
    {
        const int count = 500;
        var (trainImages, trainLabels) = FashionMnist.Load(train: true, count);
        var (testImages, testLabels) = FashionMnist.Load(train: false, count);
        var train = await EmbedAsync(trainImages);
        var test = await EmbedAsync(testImages);

        var centroids = new float[10][];
        for (var c = 0; c < 10; c++)
        {
            var members = train.Where((_, i) => trainLabels[i] == c).ToArray();
            centroids[c] = Enumerable.Range(0, 512).Select(d => members.Average(m => m[d])).ToArray();
        }
        var correct = test.Where((e, i) => Enumerable.Range(0, 10).MaxBy(c => Vectors.Cosine(e, centroids[c])) == testLabels[i]).Count();
        var accuracy = correct / (double)count;

        output.WriteLine($"nearest-centroid accuracy on resnet18 embeddings, {count} train / {count} test: {accuracy:P1}");
        Assert.True(accuracy > 0.6, $"accuracy {accuracy:P1} (chance is 10 %)");
    }

    private async Task<float[][]> EmbedAsync(byte[][] images)
    {
        var result = new List<float[]>();
        foreach (var chunk in images.Chunk(100))
        {
            var reply = await _client.EmbedAsync(new EmbedRequest { Backbone = "resnet18", Normalize = true, Inputs = { chunk.Select(TestImages.Gray28) } });
            result.AddRange(Enumerable.Range(0, chunk.Length).Select(i => Vectors.Row(reply, i)));
        }
        return result.ToArray();
    }
}
