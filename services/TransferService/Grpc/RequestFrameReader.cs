using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using TransferService.Core.Errors;

namespace TransferService.Grpc;

/// <summary>The request body of a gRPC call, checked frame by frame (1 flag byte, 4-byte big-endian length) before
/// grpc-dotnet reads it. grpc-dotnet answers a bad flag, a length over 2 GiB, a body that ends inside a message or
/// a second unary message with Unknown or Internal, and Kestrel's body limit with Unknown; this reader refuses them
/// first as InvalidArgument or ResourceExhausted. It is its own <see cref="IRequestBodyPipeFeature"/>, so
/// <see cref="Install"/> swaps it in for the call.</summary>
internal sealed class RequestFrameReader(PipeReader body, long maxMessageBytes, bool singleMessage) : PipeReader, IRequestBodyPipeFeature
{
    private const int HeaderBytes = 5;
    private ReadOnlySequence<byte> _buffer;
    private long _consumed;
    private long _nextHeader;
    private int _messages;

    public PipeReader Reader => this;

    /// <summary>Wraps the body of a gRPC endpoint's request; other requests are left alone.</summary>
    public static void Install(HttpContext context, long maxMessageBytes)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } grpc) return;
        var single = grpc.Method.Type is MethodType.Unary or MethodType.ServerStreaming;
        context.Features.Set<IRequestBodyPipeFeature>(new RequestFrameReader(context.Request.BodyReader, maxMessageBytes, single));
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ReadResult result;
        try { result = await body.ReadAsync(cancellationToken); }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { throw TooLarge(); }
        return Checked(result);
    }

    public override bool TryRead(out ReadResult result)
    {
        try
        {
            if (!body.TryRead(out result)) return false;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { throw TooLarge(); }
        result = Checked(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _consumed += _buffer.Slice(_buffer.Start, consumed).Length;
        body.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => body.CancelPendingRead();

    public override void Complete(Exception? exception = null) => body.Complete(exception);

    /// <summary>Checks every frame header that has arrived; <see cref="_nextHeader"/> is the body offset of the
    /// first one not yet seen, the buffer starts at body offset <see cref="_consumed"/>.</summary>
    private ReadResult Checked(ReadResult result)
    {
        _buffer = result.Buffer;
        var end = _consumed + _buffer.Length;
        Span<byte> header = stackalloc byte[HeaderBytes];
        try
        {
            while (_nextHeader + HeaderBytes <= end)
            {
                _buffer.Slice(_nextHeader - _consumed, HeaderBytes).CopyTo(header);
                if (header[0] > 1) throw Refused(ErrorCode.InvalidArgument, "the request body is not gRPC-framed (bad compressed flag)");
                var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
                if (length > maxMessageBytes) throw TooLarge();
                if (singleMessage && ++_messages > 1) throw Refused(ErrorCode.InvalidArgument, "this method takes one request message, not several");
                _nextHeader += HeaderBytes + length;
            }
            if (result.IsCompleted && end != _nextHeader)
                throw Refused(ErrorCode.InvalidArgument, "the request body ends inside a message");
            if (result.IsCompleted && singleMessage && _messages == 0)
                throw Refused(ErrorCode.InvalidArgument, "the request body has no message");
        }
        catch (RpcException)
        {
            // The caller never sees this buffer, so hand it back here.
            body.AdvanceTo(_buffer.Start, _buffer.End);
            throw;
        }
        return result;
    }

    private RpcException TooLarge() =>
        Refused(ErrorCode.ResourceExhausted, $"the request message is larger than the {maxMessageBytes}-byte limit");

    private static RpcException Refused(ErrorCode code, string message) =>
        ErrorInterceptor.ToStatus(new TransferException(code, message, "request")).ToRpcException();
}
