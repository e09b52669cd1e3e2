using System.Buffers;
using CsCheck;
using Google.Protobuf;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Core.Errors;
using TransferService.Core.Tests.Properties;
using TransferService.Grpc;

namespace TransferService.Tests.Hostile;

/// <summary>Random bytes as request messages, and random inputs through <see cref="InputMapper"/>: every request
/// decodes or is refused as InvalidArgument, and every decoded input maps or is refused as InvalidArgument.</summary>
public sealed class ProtocolDecodingPropertyTests
{
    private sealed class Payload(byte[] bytes) : DeserializationContext
    {
        public override int PayloadLength => bytes.Length;
        public override byte[] PayloadAsNewBuffer() => bytes.ToArray();
        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(bytes);
    }

    /// <summary>A method whose request marshaller decodes as the generated code does, wrapped as the server wraps it.</summary>
    private static Func<DeserializationContext, T> ServerDecoder<T>(MessageParser<T> parser) where T : IMessage<T>
    {
        var requests = Marshallers.Create<T>((m, c) => c.Complete(m.ToByteArray()), c => parser.ParseFrom(c.PayloadAsReadOnlySequence()));
        var method = new Method<T, T>(MethodType.Unary, "transfer.v1.Test", "Call", requests, requests);
        return DecodingServiceBinder<object>.Decoding(method).RequestMarshaller.ContextualDeserializer;
    }

    /// <summary>Mostly bytes that look like protobuf: tags of the request's fields with random lengths and payloads.</summary>
    private static readonly Gen<byte[]> Bytes = Gen.OneOf<byte[]>(
        Gen.Byte.Array[0, 200],
        Gen.Select<int, int, byte[], byte[]>(Gen.Int[1, 5], Gen.Int[0, 5], Gen.Byte.Array[0, 40], (field, wire, rest) => [(byte)(field << 3 | wire), .. rest]),
        Gen.Select<int, byte[], byte[]>(Gen.Int[1, 5], Gen.Byte.Array[0, 40], (field, text) => [(byte)(field << 3 | 2), (byte)text.Length, .. text]));

    private static void DecodesOrInvalidArgument<T>(MessageParser<T> parser) where T : IMessage<T>
    {
        var decode = ServerDecoder(parser);
        Bytes.Sample(bytes =>
        {
            try { decode(new Payload(bytes)); }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument) { }
        }, iter: 3000);
    }

    [Fact]
    public void Decode_RandomEmbedRequest_DecodedOrInvalidArgument() => DecodesOrInvalidArgument(EmbedRequest.Parser);

    [Fact]
    public void Decode_RandomEmbedStreamRequest_DecodedOrInvalidArgument() => DecodesOrInvalidArgument(EmbedStreamRequest.Parser);

    [Fact]
    public void Decode_RandomUploadDatasetRequest_DecodedOrInvalidArgument() => DecodesOrInvalidArgument(UploadDatasetRequest.Parser);

    [Fact]
    public void Decode_RandomTrainHeadRequest_DecodedOrInvalidArgument() => DecodesOrInvalidArgument(TrainHeadRequest.Parser);

    [Fact]
    public void ToCore_RandomInput_MappedOrInvalidArgument()
    {
        var inputs = Gen.OneOf<Input?>(
            Gen.Const((Input?)null),
            Gen.Const<Input?>(new Input()),
            Gen.Byte.Array[0, 50].Select(b => (Input?)new Input { Image = ByteString.CopyFrom(b) }),
            Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.Byte.Array[0, 20], (w, h, c, data) =>
                (Input?)new Input { Pixels = new RawPixels { Width = w, Height = h, Channels = c, Data = ByteString.CopyFrom(data) } }),
            Gen.String.Select(t => (Input?)new Input { Text = t }),
            Gen.Select(Gen.Long.Array[0, 4], Gen.Float.Array[0, 10], (shape, values) =>
                (Input?)new Input { Tensor = new FloatTensor { Shape = { shape }, Values = { values } } }));

        inputs.Sample(input => DefinedOutcome.Of(() => InputMapper.ToCore(input), ErrorCode.InvalidArgument), iter: 3000);
    }
}
