using TransferService.Core.Errors;
using TransferService.Hosting;

namespace TransferService.Grpc;

/// <summary>Ends a stream that makes no progress: its <see cref="Token"/> fires when <see cref="ServiceOptions.StreamIdleTimeout"/>
/// passes without a <see cref="Progressed"/> (a message read, an answer written), or when the call itself ends. A client
/// that opens a stream and then neither sends nor reads would otherwise hold the call, and what it reserved, for ever.</summary>
internal sealed class StreamIdleTimer : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _call;
    private readonly TimeSpan _idle;

    public StreamIdleTimer(TimeSpan idle, CancellationToken call)
    {
        (_idle, _call) = (idle, call);
        _source = CancellationTokenSource.CreateLinkedTokenSource(call);
        _source.CancelAfter(idle);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The stream moved: the time without progress starts again.</summary>
    public void Progressed()
    {
        if (!_source.IsCancellationRequested) _source.CancelAfter(_idle);
    }

    /// <summary>True when the token fired for want of progress, not because the caller went away.</summary>
    public bool Expired => _source.IsCancellationRequested && !_call.IsCancellationRequested;

    public TransferException Timeout(string field) => new(ErrorCode.DeadlineExceeded,
        $"the stream made no progress for {_idle.TotalSeconds:0.###} s (no message received, no answer read), so the server ended it; " +
        "send (and read) within Service:StreamIdleTimeout", field);

    public void Dispose() => _source.Dispose();
}
