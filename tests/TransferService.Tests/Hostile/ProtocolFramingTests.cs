using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Bodies no gRPC library would send: each gets a defined status (never Unknown or Internal, which would
/// blame the server), and the server keeps serving.</summary>
[Collection(ServerCollection.Name)]
public sealed class ProtocolFramingTests(ServerFixture server)
{
    private const string Embed = "transfer.v1.EmbeddingService/Embed";
    private const string EmbedStream = "transfer.v1.EmbeddingService/EmbedStream";
    private const string UploadDataset = "transfer.v1.DatasetService/UploadDataset";
    private const string GetBackbone = "transfer.v1.BackboneService/GetBackbone";

    private static readonly byte[] Valid = new EmbedRequest { Backbone = "nothing-here", Inputs = { new Input { Text = "hello" } } }.ToByteArray();

    public static TheoryData<string, string, byte[], StatusCode> Bodies() => new()
    {
        { "garbage (a varint that never ends)", Embed, ProtocolRawCall.Frame(Enumerable.Repeat((byte)0xFF, 32).ToArray()), StatusCode.InvalidArgument },
        { "an invalid wire type", Embed, ProtocolRawCall.Frame("not protobuf"u8.ToArray()), StatusCode.InvalidArgument },
        { "a truncated message (backbone says 5 bytes, has 2)", Embed, ProtocolRawCall.Frame([0x0A, 0x05, 0x72, 0x65]), StatusCode.InvalidArgument },
        { "backbone = 0xFF 0xFE (not UTF-8)", Embed, ProtocolRawCall.Frame([0x0A, 0x02, 0xFF, 0xFE]), StatusCode.InvalidArgument },
        { "name = 0xC3 (cut UTF-8) on another service", GetBackbone, ProtocolRawCall.Frame([0x0A, 0x01, 0xC3]), StatusCode.InvalidArgument },
        { "a 4 GiB length prefix with a short body", Embed, ProtocolRawCall.Frame(Valid, declaredLength: 0xFFFFFFFF), StatusCode.ResourceExhausted },
        { "a length prefix over the limit", Embed, ProtocolRawCall.Frame(Valid, declaredLength: ServerFixture.MaxReceiveMessageBytes + 1), StatusCode.ResourceExhausted },
        { "a length prefix longer than the body", Embed, ProtocolRawCall.Frame(Valid, declaredLength: 1000), StatusCode.InvalidArgument },
        { "a flag byte that is neither 0 nor 1", Embed, ProtocolRawCall.Frame(Valid, flag: 7), StatusCode.InvalidArgument },
        { "half a frame header", Embed, [0, 0, 0], StatusCode.InvalidArgument },
        { "no message at all", Embed, [], StatusCode.InvalidArgument },
        { "two messages for a unary method", Embed, [.. ProtocolRawCall.Frame(Valid), .. ProtocolRawCall.Frame(Valid)], StatusCode.InvalidArgument },
        { "a stream item with id = 0xFF", EmbedStream, ProtocolRawCall.Frame([0x0A, 0x01, 0xFF]), StatusCode.InvalidArgument },
        { "a stream that ends inside its second message", EmbedStream,
            [.. ProtocolRawCall.Frame(new EmbedStreamRequest { Id = "a" }.ToByteArray()), .. ProtocolRawCall.Frame([0x0A], declaredLength: 9)], StatusCode.InvalidArgument },
        { "a client stream of garbage", UploadDataset, ProtocolRawCall.Frame("\u0007\u0007\u0007"u8.ToArray()), StatusCode.InvalidArgument },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Call_HostileBody_DefinedStatusAndServerStillServes(string body, string method, byte[] bytes, StatusCode expected)
    {
        var (code, message) = await ProtocolRawCall.SendAsync(server.App, method, bytes);

        Assert.True(expected == code, $"{body}: expected {expected}, got {code} ({message})");
        var health = await new Health.HealthClient(server.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Embed_ValidRawFrame_ReachesTheService()
    {
        var (code, message) = await ProtocolRawCall.SendAsync(server.App, Embed, ProtocolRawCall.Frame(Valid));

        Assert.Equal(StatusCode.NotFound, code);
        Assert.Contains("nothing-here", message);
    }

    [Fact]
    public async Task Embed_InvalidUtf8_BadRequestNamesTheRequest()
    {
        // The client's own marshaller passes the bytes through, so the channel frames them correctly.
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var embed = new Method<byte[], byte[]>(MethodType.Unary, "transfer.v1.EmbeddingService", "Embed", bytes, bytes);

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => server.Channel.CreateCallInvoker().AsyncUnaryCall(embed, null, new CallOptions(), [0x0A, 0x02, 0xFF, 0xFE]).ResponseAsync, "request");
    }
}
