using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Core.Embeddings;

/// <summary>One embedding request end to end: resolve the backbone, prepare every input on the caller's
/// thread (bad input fails here, before anything is queued), schedule, pool and normalise.</summary>
public sealed class EmbeddingPipeline(BackboneRegistry registry, IEmbeddingScheduler scheduler, EmbeddingLimits limits)
{
    public async Task<EmbeddingResult> EmbedAsync(string backbone, IReadOnlyList<EmbeddingInput> inputs, bool normalize,
        CancellationToken cancellationToken)
    {
        if (inputs.Count == 0) throw TransferException.Invalid("inputs", "inputs must hold at least one item");
        if (inputs.Count > limits.MaxInputsPerRequest)
            throw TransferException.Invalid("inputs",
                $"inputs holds {inputs.Count} items; at most {limits.MaxInputsPerRequest} are allowed per call (use EmbedStream for more)");
        var loaded = await registry.GetForInferenceAsync(backbone, "backbone", cancellationToken).ConfigureAwait(false);
        var prepared = new PreparedInput[inputs.Count];
        for (var i = 0; i < inputs.Count; i++) prepared[i] = Prepare(loaded, inputs[i], $"inputs[{i}]");

        var pending = prepared.Select(p => scheduler.EmbedAsync(loaded, p, cancellationToken)).ToArray();
        var vectors = await Task.WhenAll(pending).ConfigureAwait(false);
        var dimension = loaded.Manifest.Dimension;
        var packed = new float[vectors.Length * dimension];
        for (var i = 0; i < vectors.Length; i++)
        {
            var row = packed.AsSpan(i * dimension, dimension);
            vectors[i].CopyTo(row);
            if (normalize || loaded.Manifest.Normalize) Normalize(row);
        }
        return new EmbeddingResult(loaded.Manifest, packed, prepared.Select(p => p.Report).ToArray());
    }

    /// <summary>The loaded backbone an embedding of <paramref name="backbone"/> would use (loading it on demand).</summary>
    public Task<LoadedBackbone> ResolveAsync(string backbone, CancellationToken cancellationToken) =>
        registry.GetForInferenceAsync(backbone, "backbone", cancellationToken);

    /// <summary>One item, as the streaming RPC sends them; errors name fields under <paramref name="field"/>.</summary>
    public async Task<(float[] Embedding, InputReport Report)> EmbedOneAsync(string backbone, EmbeddingInput input,
        bool normalize, string field, CancellationToken cancellationToken)
    {
        var loaded = await registry.GetForInferenceAsync(backbone, "backbone", cancellationToken).ConfigureAwait(false);
        var prepared = Prepare(loaded, input, field);
        var vector = await scheduler.EmbedAsync(loaded, prepared, cancellationToken).ConfigureAwait(false);
        if (normalize || loaded.Manifest.Normalize) Normalize(vector);
        return (vector, prepared.Report);
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

    private static void Normalize(Span<float> vector)
    {
        var sum = 0.0;
        foreach (var v in vector) sum += (double)v * v;
        if (sum == 0) return;
        var scale = (float)(1 / Math.Sqrt(sum));
        foreach (ref var v in vector) v *= scale;
    }
}
