using Google.Protobuf;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Service:MaxReceiveMessageBytes is the one limit on a request message: messages up to it are processed
/// (Kestrel's own 30 MB body limit once answered Unknown above that), larger ones are ResourceExhausted, unary
/// and streaming alike. The server has no backbone loaded, so a processed request answers NotFound.</summary>
public sealed class ProtocolMessageSizeTests : IAsyncLifetime
{
    private const int Limit = 40_000_000;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"transfer-size-{Guid.NewGuid():N}");
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(_folder, new Dictionary<string, string?>
    {
        ["Service:MaxReceiveMessageBytes"] = Limit.ToString(),
        ["Backbones:Preload"] = "",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>An Embed request of exactly <paramref name="bytes"/> bytes: one image of filler.</summary>
    private static EmbedRequest Request(int bytes)
    {
        var image = bytes;
        while (true)
        {
            var request = new EmbedRequest { Backbone = "absent", Inputs = { new Input { Image = UnsafeByteOperations.UnsafeWrap(new byte[image]) } } };
            if (request.CalculateSize() == bytes) return request;
            image += bytes - request.CalculateSize();
        }
    }

    [Theory]
    [InlineData(35_000_000)]
    [InlineData(Limit)]
    public async Task Embed_MessageUpToTheLimit_Processed(int bytes)
    {
        var client = new EmbeddingService.EmbeddingServiceClient(_server.Channel);

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => client.EmbedAsync(Request(bytes)).ResponseAsync, "backbone");
    }

    [Theory]
    [InlineData(Limit + 1)]
    [InlineData(41_000_000)]
    public async Task Embed_MessageOverTheLimit_ResourceExhausted(int bytes)
    {
        var client = new EmbeddingService.EmbeddingServiceClient(_server.Channel);

        await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => client.EmbedAsync(Request(bytes)).ResponseAsync);
    }

    [Theory]
    [InlineData(35_000_000, StatusCode.NotFound)]
    [InlineData(41_000_000, StatusCode.ResourceExhausted)]
    public async Task EmbedStream_ItemAroundTheLimit_ProcessedOrResourceExhausted(int bytes, StatusCode expected)
    {
        var request = Request(bytes);
        var item = new EmbedStreamRequest { Id = "big", Backbone = request.Backbone, Input = request.Inputs[0] };
        using var call = new EmbeddingService.EmbeddingServiceClient(_server.Channel).EmbedStream();

        var status = await StreamStatusAsync(call, item);

        Assert.Equal(expected, status);
    }

    /// <summary>The stream's outcome: a failed item's status, or the call's. The server may end the call while the
    /// client is still sending, so a failed write is not the outcome; the response stream carries it.</summary>
    private static async Task<StatusCode> StreamStatusAsync(AsyncDuplexStreamingCall<EmbedStreamRequest, EmbedStreamResponse> call, EmbedStreamRequest item)
    {
        try
        {
            await call.RequestStream.WriteAsync(item);
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException) { }
        catch (InvalidOperationException) { }
        try
        {
            await foreach (var answer in call.ResponseStream.ReadAllAsync())
                if (answer.Error is { } error) return (StatusCode)error.Code;
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
