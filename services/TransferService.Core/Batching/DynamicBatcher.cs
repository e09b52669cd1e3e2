using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Core.Batching;

/// <summary>Collects items for one backbone on one lane into batches and runs them on the lane, one at a
/// time. Owns its worker task; does not own the session (the registry disposes it after
/// <see cref="DisposeAsync"/> has drained the queue).</summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly IBackboneSession _session;
    private readonly SemaphoreSlim _laneGate;
    private readonly int _dimension;
    private readonly int _maxBatchSize;
    private readonly BatchingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<BatchItem> _queue;
    private readonly Task _worker;
    private int _queued;
    private long _itemsEmbedded;

    public DynamicBatcher(IBackboneSession session, SemaphoreSlim laneGate, BackboneManifest manifest,
        BatchingOptions options, TimeProvider time, ILogger logger)
    {
        _session = session;
        _laneGate = laneGate;
        _dimension = manifest.Dimension;
        _maxBatchSize = manifest.MaxBatchSize;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateUnbounded<BatchItem>(new UnboundedChannelOptions { SingleReader = true });
        _worker = Task.Run(RunAsync);
    }

    public string Lane => _session.Lane;

    /// <summary>Items waiting or running: the load measure used to pick a lane.</summary>
    public int QueuedItems => Volatile.Read(ref _queued);

    /// <summary>Items the model has run on since load: how many backbone passes were paid for.</summary>
    public long ItemsEmbedded => Interlocked.Read(ref _itemsEmbedded);

    public Task<float[]> EnqueueAsync(PreparedInput input, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _queued) > _options.MaxQueuedItems)
        {
            Interlocked.Decrement(ref _queued);
            throw new TransferException(ErrorCode.ResourceExhausted,
                $"the queue of lane {Lane} is full ({_options.MaxQueuedItems} items); retry later");
        }
        var item = new BatchItem(input, cancellationToken);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _queued);
            throw new TransferException(ErrorCode.Unavailable, "the backbone is being unloaded");
        }
        return item.Result.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = await CollectBatchAsync(reader).ConfigureAwait(false);
            if (batch.Count > 0) await RunBatchAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>Takes items until the batch is full or its first item has waited MaxDelay; items whose caller
    /// is gone are dropped here, before they cost a model run.</summary>
    private async Task<List<BatchItem>> CollectBatchAsync(ChannelReader<BatchItem> reader)
    {
        var batch = new List<BatchItem>(_maxBatchSize);
        var firstTaken = 0L;
        while (batch.Count < _maxBatchSize)
        {
            if (reader.TryRead(out var item))
            {
                if (item.CancellationToken.IsCancellationRequested) { Drop(item); continue; }
                if (batch.Count == 0) firstTaken = _time.GetTimestamp();
                batch.Add(item);
                continue;
            }
            if (batch.Count == 0) break;
            var left = _options.MaxDelay - _time.GetElapsedTime(firstTaken);
            if (left <= TimeSpan.Zero) break;
            using var wait = new CancellationTokenSource(left, _time);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return batch;
    }

    private async Task RunBatchAsync(List<BatchItem> batch)
    {
        var embeddings = new float[batch.Count * _dimension];
        await _laneGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var inputs = batch.ConvertAll(i => i.Input);
            _session.Run(inputs, embeddings, CancellationToken.None);
            Interlocked.Add(ref _itemsEmbedded, batch.Count);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Batch of {Count} failed on lane {Lane}", batch.Count, Lane);
            var error = e as TransferException ?? new TransferException(ErrorCode.Internal, $"the model run failed: {e.Message}", inner: e);
            foreach (var item in batch) Complete(item, error);
            return;
        }
        finally
        {
            _laneGate.Release();
        }
        for (var i = 0; i < batch.Count; i++)
            Complete(batch[i], embeddings.AsSpan(i * _dimension, _dimension).ToArray());
    }

    private void Drop(BatchItem item)
    {
        Interlocked.Decrement(ref _queued);
        item.Result.TrySetCanceled(item.CancellationToken);
    }

    private void Complete(BatchItem item, float[] embedding)
    {
        Interlocked.Decrement(ref _queued);
        item.Result.TrySetResult(embedding);
    }

    private void Complete(BatchItem item, Exception error)
    {
        Interlocked.Decrement(ref _queued);
        item.Result.TrySetException(error);
    }

    /// <summary>Stops accepting items and waits until every queued item has completed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }
}
