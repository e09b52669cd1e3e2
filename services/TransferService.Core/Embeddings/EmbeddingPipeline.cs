using System.Diagnostics;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;
using TransferService.Core.Telemetry;

namespace TransferService.Core.Embeddings;

/// <summary>One embedding request end to end: resolve the backbone, then for each input in order reserve its
/// prepared size in the call's <see cref="PreparationShare"/>, prepare it (decode, resize, tokenize) and queue it;
/// its bytes are released as its embedding comes back. Pool and normalise at the end.</summary>
/// <remarks>Request-level checks (count, backbone, item size against the budget) come before any input is
/// prepared. Inputs are validated as they are prepared, not all up front: validating an image is decoding it,
/// the very work and memory the budget bounds. Calls of several inputs prepare them on the thread pool (decoding is a
/// core's work per image, and must not cap what the device could run); a single input or a stream's item is prepared
/// on the caller's thread, with no hop. Every preparation, either way, holds one of the process's
/// <see cref="EmbeddingLimits.MaxParallelPreparations"/> slots, which also bounds the decoders' transient bitmaps (the
/// budget does not count them). Reservations are taken in input order, the first bad input in order fails the call,
/// and the call's other items are then dropped before they run.</remarks>
public sealed class EmbeddingPipeline(BackboneRegistry registry, IEmbeddingScheduler scheduler, EmbeddingLimits limits,
    PreparationBudget budget, TimeProvider time)
{
    private readonly SemaphoreSlim _preparing = new(Math.Max(1, limits.MaxParallelPreparations));

    public async Task<EmbeddingResult> EmbedAsync(string backbone, IReadOnlyList<EmbeddingInput> inputs, bool normalize,
        WorkTag tag, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0) throw TransferException.Invalid("inputs", "inputs must hold at least one item");
        if (inputs.Count > limits.MaxInputsPerRequest)
            throw TransferException.Invalid("inputs",
                $"inputs holds {inputs.Count} items; at most {limits.MaxInputsPerRequest} are allowed per call (use EmbedStream for more)");
        var loaded = await registry.GetForInferenceAsync(backbone, "backbone", cancellationToken).ConfigureAwait(false);
        var share = CreateShare();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Task<float[]>[inputs.Count];
        var reports = new InputReport[inputs.Count];
        float[][] vectors;
        try
        {
            var preparing = DateTimeOffset.UtcNow;
            if (inputs.Count == 1 || limits.MaxParallelPreparations <= 1)
            {
                for (var i = 0; i < inputs.Count; i++)
                {
                    (pending[i], reports[i]) = await PrepareAndQueueAsync(loaded, share, inputs[i], $"inputs[{i}]", tag, call.Token).ConfigureAwait(false);
                    if (pending[i].IsFaulted) await pending[i].ConfigureAwait(false);
                }
            }
            else await PrepareInParallelAsync(loaded, share, inputs, pending, reports, tag, call).ConfigureAwait(false);
            TracePreprocess(preparing, inputs.Count);
            vectors = await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch
        {
            call.Cancel();
            throw;
        }
        var dimension = loaded.Manifest.Dimension;
        var packed = new float[vectors.Length * dimension];
        for (var i = 0; i < vectors.Length; i++)
        {
            var row = packed.AsSpan(i * dimension, dimension);
            vectors[i].CopyTo(row);
            if (normalize || loaded.Manifest.Normalize) Normalize(row);
        }
        return new EmbeddingResult(loaded.Manifest, packed, reports);
    }

    /// <summary>Most inputs one <see cref="EmbedAsync"/> call takes.</summary>
    public int MaxInputsPerCall => limits.MaxInputsPerRequest;

    /// <summary>The loaded backbone an embedding of <paramref name="backbone"/> would use (loading it on demand).</summary>
    public Task<LoadedBackbone> ResolveAsync(string backbone, CancellationToken cancellationToken) =>
        registry.GetForInferenceAsync(backbone, "backbone", cancellationToken);

    /// <summary>A new call's share of the preparation budget; a stream makes one and passes it with every item.</summary>
    public PreparationShare CreateShare() => new(budget, limits.MaxPreparedBytesPerRequest, time);

    /// <summary>One item, as the streaming RPC sends them; errors name fields under <paramref name="field"/>.</summary>
    public async Task<(float[] Embedding, InputReport Report)> EmbedOneAsync(string backbone, EmbeddingInput input,
        bool normalize, string field, PreparationShare share, WorkTag tag, CancellationToken cancellationToken)
    {
        var loaded = await registry.GetForInferenceAsync(backbone, "backbone", cancellationToken).ConfigureAwait(false);
        var preparing = DateTimeOffset.UtcNow;
        var (pending, report) = await PrepareAndQueueAsync(loaded, share, input, field, tag, cancellationToken).ConfigureAwait(false);
        TracePreprocess(preparing, 1);
        var vector = await pending.ConfigureAwait(false);
        if (normalize || loaded.Manifest.Normalize) Normalize(vector);
        return (vector, report);
    }

    /// <summary>Takes the reservations in input order on this thread and prepares each item on the pool once one of the
    /// process's <see cref="EmbeddingLimits.MaxParallelPreparations"/> slots is free, so memory stays within the share
    /// and the budget as in the sequential path. Results land at their input's index; the first bad input in order is
    /// the one reported. On any failure or cancellation it stops starting preparations and waits for the ones running
    /// (each one ends at its next check of the token), so no decoding outlives the call.</summary>
    private async Task PrepareInParallelAsync(LoadedBackbone loaded, PreparationShare share, IReadOnlyList<EmbeddingInput> inputs,
        Task<float[]>[] pending, InputReport[] reports, WorkTag tag, CancellationTokenSource call)
    {
        var reserved = PreparedSize.UpperBound(loaded.Manifest);
        var preparing = new List<Task<(Task<float[]> Embedding, InputReport Report)>>(inputs.Count);
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                await HoldPreparationAsync(share, reserved, call.Token).ConfigureAwait(false);
                var (input, field) = (inputs[i], $"inputs[{i}]");
                preparing.Add(Task.Run(() =>
                {
                    try
                    {
                        return PrepareAndQueue(loaded, share, reserved, input, field, tag, call.Token);
                    }
                    finally
                    {
                        _preparing.Release();
                    }
                }));
                // A bad input ends the call: no point preparing the rest.
                if (preparing.Any(p => p.IsFaulted)) break;
            }
            for (var i = 0; i < preparing.Count; i++)
            {
                (pending[i], reports[i]) = await preparing[i].ConfigureAwait(false);
                if (pending[i].IsFaulted) await pending[i].ConfigureAwait(false);
            }
        }
        catch
        {
            call.Cancel();
            await Task.WhenAll(preparing).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reserves the backbone's largest prepared size before decoding, so memory grows only within the
    /// budget, and prepares on this thread in one of the process's preparation slots; an item whose caller is gone is
    /// neither prepared nor queued.</summary>
    private async ValueTask<(Task<float[]> Embedding, InputReport Report)> PrepareAndQueueAsync(LoadedBackbone loaded,
        PreparationShare share, EmbeddingInput input, string field, WorkTag tag, CancellationToken cancellationToken)
    {
        var reserved = PreparedSize.UpperBound(loaded.Manifest);
        await HoldPreparationAsync(share, reserved, cancellationToken).ConfigureAwait(false);
        try
        {
            return PrepareAndQueue(loaded, share, reserved, input, field, tag, cancellationToken);
        }
        finally
        {
            _preparing.Release();
        }
    }

    /// <summary>Takes <paramref name="reserved"/> bytes of the share, then one of the process's
    /// <see cref="EmbeddingLimits.MaxParallelPreparations"/> slots, which every preparation holds (a decoder's bitmap,
    /// up to the backbone's largest image × 4 bytes, is not counted in the budget, so the slots are what bound it); on
    /// failure holds neither. A free slot is taken at once, with no thread hop.</summary>
    private async ValueTask HoldPreparationAsync(PreparationShare share, long reserved, CancellationToken cancellationToken)
    {
        await share.AcquireAsync(reserved, cancellationToken).ConfigureAwait(false);
        try
        {
            await _preparing.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            share.Release(reserved);
            throw;
        }
    }

    /// <summary>Prepares one input whose <paramref name="reserved"/> bytes are held and queues it; gives the bytes back
    /// when it fails.</summary>
    private (Task<float[]> Embedding, InputReport Report) PrepareAndQueue(LoadedBackbone loaded, PreparationShare share, long reserved,
        EmbeddingInput input, string field, WorkTag tag, CancellationToken cancellationToken)
    {
        PreparedInput prepared;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            prepared = Prepare(loaded, input, field);
        }
        catch
        {
            share.Release(reserved);
            throw;
        }
        share.Settle(reserved, prepared.Bytes);
        return (EmbedHeldAsync(loaded, prepared, share, tag, cancellationToken), prepared.Report);
    }

    private async Task<float[]> EmbedHeldAsync(LoadedBackbone loaded, PreparedInput prepared, PreparationShare share,
        WorkTag tag, CancellationToken cancellationToken)
    {
        try
        {
            return await scheduler.EmbedAsync(loaded, prepared, tag, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            share.Release(prepared.Bytes);
        }
    }

    /// <summary>One preprocessing span per call under the caller's span, from the first input's preparation to the last
    /// one's (decoding, tokenizing, waiting for room in the budget). Recorded afterwards rather than made current while
    /// it runs: the items queued meanwhile belong to the call, and their queue-wait and inference spans hang under it.</summary>
    private static void TracePreprocess(DateTimeOffset started, int items)
    {
        if (Activity.Current is null) return;
        using var span = TransferTelemetry.Source.StartActivity(TransferTelemetry.Preprocess, ActivityKind.Internal, default(ActivityContext), startTime: started);
        span?.SetTag("transfer.items", items).SetEndTime(DateTime.UtcNow);
    }

    private static PreparedInput Prepare(LoadedBackbone loaded, EmbeddingInput input, string field)
    {
        try
        {
            return loaded.Preparer.Prepare(input);
        }
        catch (TransferException e)
        {
            throw e.WithFieldPrefix(field);
        }
    }

    /// <summary>L2-normalises <paramref name="vector"/> in place (a zero vector stays zero).</summary>
    internal static void Normalize(Span<float> vector)
    {
        var sum = 0.0;
        foreach (var v in vector) sum += (double)v * v;
        if (sum == 0) return;
        var scale = (float)(1 / Math.Sqrt(sum));
        foreach (ref var v in vector) v *= scale;
    }
}
