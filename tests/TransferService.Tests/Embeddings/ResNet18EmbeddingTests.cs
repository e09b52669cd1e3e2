using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Embeddings;

[Collection(ServerCollection.Name)]
public sealed class ResNet18EmbeddingTests(ServerFixture server)
{
    private readonly EmbeddingService.EmbeddingServiceClient _client = new(server.Channel);

    [Fact]
    public async Task Embed_RealImage_EqualsOriginalBatch1ModelsRunDirectly()
    {
        var (images, _) = FashionMnist.Load(train: false, count: 3);
        var rgb = images.Select(TestImages.ToRgb224).ToArray();

        var reply = await _client.EmbedAsync(new EmbedRequest { Backbone = "resnet18", Inputs = { rgb.Select(TestImages.Pixels) } });

        Assert.Equal(512u, reply.Dimension);
        for (var i = 0; i < rgb.Length; i++)
            Assert.True(Vectors.RelativeError(Vectors.Row(reply, i), ReferenceEmbedding(rgb[i])) < 1e-5, $"image {i}");
    }

    [Fact]
    public async Task Embed_EncodedPngAndJpeg_DecodeToTheSameImageAsRawPixels()
    {
        var (images, _) = FashionMnist.Load(train: false, count: 1);
        var rgb = TestImages.ToRgb224(images[0]);

        var reply = await _client.EmbedAsync(new EmbedRequest
        {
            Backbone = "resnet18",
            Inputs =
            {
                TestImages.Pixels(rgb),
                new Input { Image = ByteString.CopyFrom(TestImages.EncodePng(rgb)) },
                new Input { Image = ByteString.CopyFrom(TestImages.EncodeJpeg(rgb)) },
            },
        });

        Assert.True(Vectors.RelativeError(Vectors.Row(reply, 1), Vectors.Row(reply, 0)) < 1e-6, "PNG is lossless");
        Assert.True(Vectors.Cosine(Vectors.Row(reply, 2), Vectors.Row(reply, 0)) > 0.99, "JPEG is close");
    }

    [Fact]
    public async Task Embed_BatchOfN_EqualsNSingleCalls()
    {
        var (images, _) = FashionMnist.Load(train: true, count: 6);
        var inputs = images.Select(TestImages.Gray28).ToArray();

        var batch = await _client.EmbedAsync(new EmbedRequest { Backbone = "resnet18", Inputs = { inputs } });
        for (var i = 0; i < inputs.Length; i++)
        {
            var single = await _client.EmbedAsync(new EmbedRequest { Backbone = "resnet18", Inputs = { inputs[i] } });
            Assert.True(Vectors.RelativeError(Vectors.Row(batch, i), Vectors.Row(single, 0)) < 1e-6, $"item {i}");
        }
    }

    /// <summary>The package's own two graphs, batch 1, as shipped: ResNetPreprocess.onnx then ResNet18.onnx.</summary>
    private static float[] ReferenceEmbedding(byte[] rgb224)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "builtin-models", "resnet18");
        var planar = new float[3 * 224 * 224];
        for (var p = 0; p < 224 * 224; p++)
            for (var c = 0; c < 3; c++) planar[c * 224 * 224 + p] = rgb224[p * 3 + c];
        long[] shape = [1, 3, 224, 224];

        using var preprocess = new InferenceSession(Path.Combine(folder, "ResNetPreprocess.onnx"));
        using var backbone = new InferenceSession(Path.Combine(folder, "ResNet18.onnx"));
        using var input = OrtValue.CreateTensorValueFromMemory(planar, shape);
        using var prepared = preprocess.Run(new RunOptions(), ["OriginalInput"], [input], ["PreprocessedInput"]);
        using var features = backbone.Run(new RunOptions(), ["Input247"], [prepared[0]], ["Pooling395_Output_0"]);
        return features[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
