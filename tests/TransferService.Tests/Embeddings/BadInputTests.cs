using Google.Protobuf;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Embeddings;

/// <summary>Every bad input gets a clear status naming the item or field; the server keeps serving.</summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture server)
{
    private readonly EmbeddingService.EmbeddingServiceClient _client = new(server.Channel);

    private static byte[] ValidPng()
    {
        var (images, _) = FashionMnist.Load(train: false, count: 1);
        return TestImages.EncodePng(TestImages.ToRgb224(images[0]));
    }

    private Task Embed(string backbone, params Input[] inputs) =>
        _client.EmbedAsync(new EmbedRequest { Backbone = backbone, Inputs = { inputs } }).ResponseAsync;

    [Fact]
    public async Task Embed_CorruptImage_InvalidArgumentNamingTheItem()
    {
        var corrupt = ValidPng();
        corrupt.AsSpan(40, 400).Fill(0x5A);
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("resnet18", new Input { Image = ByteString.CopyFrom(ValidPng()) }, new Input { Image = ByteString.CopyFrom(corrupt) }),
            "inputs[1].image");
        Assert.StartsWith("inputs[1]", message);
    }

    [Fact]
    public async Task Embed_TruncatedImage_InvalidArgumentSaysTruncated()
    {
        var png = ValidPng();
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("resnet18", new Input { Image = ByteString.CopyFrom(png.AsSpan(0, png.Length / 2)) }), "inputs[0].image");
        Assert.Contains("truncated", message);
    }

    [Fact]
    public async Task Embed_UnsupportedFormat_InvalidArgument()
    {
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n" + string.Join("\n", Enumerable.Repeat("1 0 obj << /Type /Catalog >> endobj", 20)));
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("resnet18", new Input { Image = ByteString.CopyFrom(pdf) }), "inputs[0].image");
        Assert.Contains("supported format", message);
    }

    [Fact]
    public async Task Embed_ImageOverPixelBudget_RefusedFromTheHeader()
    {
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("resnet18", new Input { Image = ByteString.CopyFrom(PngHeader.WithSize(10_000, 10_000)) }), "inputs[0].image");
        Assert.Contains("over the limit", message);
    }

    [Fact]
    public async Task Embed_RawPixelsOfWrongSize_InvalidArgument() =>
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("resnet18", new Input { Pixels = new RawPixels { Data = ByteString.CopyFrom(new byte[100]), Width = 28, Height = 28, Channels = 1 } }),
            "inputs[0].pixels.data");

    [Fact]
    public async Task Embed_EmptyBatch_InvalidArgument() =>
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Embed("minilm"), "inputs");

    [Fact]
    public async Task Embed_BatchOverLimit_InvalidArgument() =>
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("minilm", Enumerable.Range(0, 1025).Select(i => new Input { Text = $"text {i}" }).ToArray()), "inputs");

    [Fact]
    public async Task Embed_TextOverLengthPolicy_InvalidArgument() =>
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("minilm", new Input { Text = "ok" }, new Input { Text = new string('a', 100_001) }), "inputs[1].text");

    [Fact]
    public async Task Embed_EmptyInput_InvalidArgument() =>
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Embed("minilm", new Input()), "inputs[0].input");

    [Fact]
    public async Task Embed_WrongModality_InvalidArgumentNamingTheItem()
    {
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("resnet18", new Input { Text = "a cat" }), "inputs[0].input");
        Assert.Contains("takes images", message);
    }

    [Fact]
    public async Task Embed_UnknownBackbone_NotFound() =>
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Embed("no-such-backbone", new Input { Text = "x" }), "backbone");

    [Fact]
    public async Task Embed_MessageOverConfiguredMaximum_ResourceExhausted() =>
        await RpcAssert.FailsAsync(StatusCode.ResourceExhausted,
            () => Embed("resnet18", new Input { Image = ByteString.CopyFrom(new byte[ServerFixture.MaxReceiveMessageBytes + 1]) }));

    [Theory]
    [InlineData(new long[] { 5 }, new float[] { 1, 2, 3, 4, 5 }, "inputs[0].tensor.shape")]
    [InlineData(new long[] { 4 }, new float[] { 1, 2, 3 }, "inputs[0].tensor.values")]
    [InlineData(new long[] { 4 }, new float[] { 1, float.NaN, 3, 4 }, "inputs[0].tensor.values")]
    public async Task Embed_BadTensor_InvalidArgumentNamingTheField(long[] shape, float[] values, string field)
    {
        TinyTensorBackbone.Create(server.ModelRepository, "tiny-bad-input");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Embed("tiny-bad-input", new Input { Tensor = new FloatTensor { Shape = { shape }, Values = { values } } }), field);
    }
}
