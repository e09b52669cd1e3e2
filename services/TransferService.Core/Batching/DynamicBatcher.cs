using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;
using TransferService.Core.Telemetry;

namespace TransferService.Core.Batching;

/// <summary>One backbone on one lane: queues its items on the lane's <see cref="LaneScheduler"/>, which decides when a
/// batch of them runs and which items it holds, and runs those batches on the session. Does not own the session (the
/// registry disposes it after <see cref="DisposeAsync"/> has drained the queue) nor the scheduler.</summary>
public sealed class DynamicBatcher : IBatchSource, IAsyncDisposable
{
    private readonly IBackboneSession _session;
    private readonly LaneScheduler _lane;
    private readonly int _dimension;
    private readonly string _backbone;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;
    private int _queued;
    private long _itemsEmbedded;
    private long _paddedTokens;
    private long _tokenSlots;

    public DynamicBatcher(IBackboneSession session, LaneScheduler lane, BackboneManifest manifest, ILogger logger)
    {
        _session = session;
        _lane = lane;
        _dimension = manifest.Dimension;
        _backbone = manifest.Name;
        MaxBatchSize = manifest.MaxBatchSize;
        _logger = logger;
    }

    public string Lane => _session.Lane;

    public int MaxBatchSize { get; }

    public bool Draining => _draining;

    /// <summary>Items waiting or running: the load measure used to pick a lane.</summary>
    public int QueuedItems => Volatile.Read(ref _queued);

    /// <summary>Items the model has run on since load: how many backbone passes were paid for.</summary>
    public long ItemsEmbedded => Interlocked.Read(ref _itemsEmbedded);

    /// <summary>Token slots text batches fed the model (rows × longest row) since load, and how many were padding.</summary>
    public (long Padded, long Slots) TokenSlots => (Interlocked.Read(ref _paddedTokens), Interlocked.Read(ref _tokenSlots));

    /// <summary>Queues one input as <paramref name="tag"/>'s work. Throws ResourceExhausted (with a retry delay) when
    /// the lane's queue for the tag's class is full; the task is cancelled when the token fires before the item runs.</summary>
    public Task<float[]> EnqueueAsync(PreparedInput input, WorkTag tag, CancellationToken cancellationToken)
    {
        // Counted before the check, so DisposeAsync never sees zero while an item it did not refuse is on its way in.
        Interlocked.Increment(ref _queued);
        if (_draining)
        {
            Left();
            throw new TransferException(ErrorCode.Unavailable, "the backbone is being unloaded");
        }
        var item = new BatchItem(this, input, tag, cancellationToken);
        try
        {
            _lane.Enqueue(item);
        }
        catch
        {
            Left();
            throw;
        }
        return item.Result.Task;
    }

    void IBatchSource.Run(IReadOnlyList<LaneWork> batch)
    {
        var items = batch.Cast<BatchItem>().ToArray();
        var embeddings = new float[items.Length * _dimension];
        var started = DateTimeOffset.UtcNow;
        try
        {
            _session.Run(items.Select(i => i.Input).ToArray(), embeddings, CancellationToken.None);
            RecordInference(items, started);
            Interlocked.Add(ref _itemsEmbedded, items.Length);
            if (items[0].Length > 0)
            {
                var (padded, slots) = TokenLengthGroups.Padding(batch);
                Interlocked.Add(ref _paddedTokens, padded);
                Interlocked.Add(ref _tokenSlots, slots);
            }
        }
        catch (Exception e)
        {
            _lane.Answering();
            _logger.LogError(e, "Batch of {Count} failed on lane {Lane}", items.Length, Lane);
            var error = e as TransferException ?? new TransferException(ErrorCode.Internal, $"the model run failed: {e.Message}", inner: e);
            foreach (var item in items) Abandon(item, error);
            return;
        }
        _lane.Answering();
        for (var i = 0; i < items.Length; i++)
        {
            items[i].Result.TrySetResult(embeddings.AsSpan(i * _dimension, _dimension).ToArray());
            Left();
        }
    }

    /// <summary>Counts the items run and gives each caller in the batch whose trace is sampled one inference span (the
    /// batch's run, shared by every caller in it) under its own span.</summary>
    private void RecordInference(BatchItem[] items, DateTimeOffset started)
    {
        _lane.Metrics?.RecordEmbedded(_backbone, Lane, items.Length);
        if (!TransferTelemetry.Source.HasListeners()) return;
        var ended = DateTime.UtcNow;
        foreach (var parent in items.Select(i => i.Parent).Where(p => p.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)).Distinct())
        {
            using var span = TransferTelemetry.Source.StartActivity(TransferTelemetry.Inference, ActivityKind.Internal, parent, startTime: started);
            span?.SetTag(TransferTelemetry.Backbone, _backbone).SetTag(TransferTelemetry.Lane, Lane).SetTag(TransferTelemetry.BatchSize, items.Length)
                .SetEndTime(ended);
        }
    }

    internal void Abandon(BatchItem item, Exception? error)
    {
        if (error is null) item.Result.TrySetCanceled(item.CancellationToken);
        else item.Result.TrySetException(error);
        Left();
    }

    private void Left()
    {
        if (Interlocked.Decrement(ref _queued) == 0 && _draining) _drained.TrySetResult();
    }

    /// <summary>Stops accepting items and waits until every queued item has completed.</summary>
    public async ValueTask DisposeAsync()
    {
        _draining = true;
        if (Volatile.Read(ref _queued) == 0) _drained.TrySetResult();
        await _drained.Task.ConfigureAwait(false);
    }
}
