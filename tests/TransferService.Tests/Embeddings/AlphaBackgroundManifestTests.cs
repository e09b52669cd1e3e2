using Google.Protobuf;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Embeddings;

/// <summary>The manifest's <c>image.background</c> is what alpha is composited onto, read back exactly through a
/// backbone whose embedding is its preprocessed input.</summary>
[Collection(ServerCollection.Name)]
public sealed class AlphaBackgroundManifestTests(ServerFixture server)
{
    private readonly EmbeddingService.EmbeddingServiceClient _embeddings = new(server.Channel);

    /// <summary>2×2 RGBA: opaque orange, half-transparent blue (alpha 128), fully transparent green, and
    /// alpha 51 over white.</summary>
    private static readonly byte[] Rgba = [255, 128, 0, 255, 0, 0, 200, 128, 0, 255, 0, 0, 255, 255, 255, 51];

    [Theory]
    [InlineData("", new float[] { 255, 127, 255, 255, 128, 127, 255, 255, 0, 227, 255, 255 })]
    [InlineData(""", "background": [0, 0, 0]""", new float[] { 255, 0, 0, 51, 128, 0, 0, 51, 0, 100, 0, 51 })]
    [InlineData(""", "background": [10, 20, 30]""", new float[] { 255, 5, 10, 59, 128, 10, 20, 67, 0, 115, 30, 75 })]
    public async Task Embed_RgbaPixelsAndPng_CompositedOntoTheManifestBackground(string backgroundField, float[] expected)
    {
        var name = $"echo-{Guid.NewGuid():N}"[..20];
        PixelEchoBackbone.Create(server.ModelRepository, name, PixelEchoBackbone.Manifest(backgroundField));

        var reply = await _embeddings.EmbedAsync(new EmbedRequest
        {
            Backbone = name,
            Inputs =
            {
                new Input { Pixels = new RawPixels { Data = ByteString.CopyFrom(Rgba), Width = 2, Height = 2, Channels = 4 } },
                new Input { Image = ByteString.CopyFrom(AlphaPng.Encode(Rgba, 2, 2)) },
            },
        });

        Assert.Equal(expected, Vectors.Row(reply, 0));
        Assert.Equal(expected, Vectors.Row(reply, 1));
    }
}
