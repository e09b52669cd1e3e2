using TransferService.Core.Errors;

namespace TransferService.Core.Embeddings;

/// <summary>Bytes of prepared inputs that may exist at once: a byte semaphore granted first come, first served
/// (a large request at the head is not starved by small ones behind it). Thread-safe. One instance is the
/// process-wide budget; each request's <see cref="PreparationShare"/> holds another, sized to its share.</summary>
public sealed class PreparationBudget
{
    private sealed record Waiter(long Bytes)
    {
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private long _available;

    /// <param name="maxWait">How long one acquisition may wait before it is refused with ResourceExhausted;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits as long as the caller's token allows.</param>
    public PreparationBudget(long capacity, TimeSpan maxWait, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _available = capacity;
        _maxWait = maxWait;
        _time = time;
    }

    public long Capacity { get; }

    /// <summary>Bytes not held now (negative after an <see cref="Overdraw"/>).</summary>
    public long Available { get { lock (_gate) return _available; } }

    /// <summary>Waits until <paramref name="bytes"/> are free and holds them until <see cref="Release"/>.
    /// Throws ResourceExhausted at once when they exceed the whole budget, or when the wait runs past the
    /// budget's limit; OperationCanceledException when the caller's token (its deadline) fires first.</summary>
    public async ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        if (bytes > Capacity)
            throw new TransferException(ErrorCode.ResourceExhausted,
                $"one prepared input takes {bytes} bytes, more than this server's budget of {Capacity} bytes for a call's prepared inputs");
        cancellationToken.ThrowIfCancellationRequested();
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= bytes)
            {
                _available -= bytes;
                return;
            }
            node = _waiters.AddLast(new Waiter(bytes));
        }
        try
        {
            await node.Value.Granted.Task.WaitAsync(_maxWait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                // Granted in the meantime: the bytes are ours, so give them back.
                if (node.List is null) _available += bytes;
                else _waiters.Remove(node);
                GrantWaiters();
            }
            if (e is OperationCanceledException) throw;
            throw new TransferException(ErrorCode.ResourceExhausted,
                $"the server's memory for prepared inputs stayed full for {_maxWait.TotalSeconds:0.#} s; retry later");
        }
    }

    /// <summary>Holds <paramref name="bytes"/> without waiting, even past the capacity: for memory that exists
    /// already (an item that came out larger than reserved), which waiting would not free.</summary>
    public void Overdraw(long bytes)
    {
        lock (_gate) _available -= bytes;
    }

    public void Release(long bytes)
    {
        lock (_gate)
        {
            _available += bytes;
            GrantWaiters();
        }
    }

    private void GrantWaiters()
    {
        while (_waiters.First is { } first && first.Value.Bytes <= _available)
        {
            _available -= first.Value.Bytes;
            _waiters.RemoveFirst();
            first.Value.Granted.TrySetResult();
        }
    }
}
