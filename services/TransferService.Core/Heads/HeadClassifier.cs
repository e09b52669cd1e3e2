using System.Collections.Concurrent;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Core.Heads;

/// <summary>Classify: one backbone pass for the inputs, then every requested head on those embeddings.
/// Keeps one scorer per head version of each tenant's store (created on the backbone's first lane on first use);
/// owns and disposes them.</summary>
public sealed class HeadClassifier(EmbeddingPipeline pipeline, IHeadRuntime runtime) : IDisposable
{
    private sealed record ServedHead(HeadRecord Record, IHeadScorer Scorer);

    private readonly ConcurrentDictionary<(string Store, string Name, int Version), Lazy<ServedHead>> _served = new();

    /// <summary>Classifies with heads from <paramref name="heads"/>, the caller's tenant's store.</summary>
    public async Task<(EmbeddingResult Embeddings, IReadOnlyList<HeadPrediction> Predictions)> ClassifyAsync(HeadStore heads,
        string backbone, IReadOnlyList<HeadReference> references, IReadOnlyList<EmbeddingInput> inputs, CancellationToken cancellationToken)
    {
        if (references.Count == 0) throw TransferException.Invalid("heads", "heads must name at least one head");
        var loaded = await pipeline.ResolveAsync(backbone, cancellationToken);
        var lane = loaded.Lanes[0];
        var served = new ServedHead[references.Count];
        for (var i = 0; i < references.Count; i++)
        {
            var field = $"heads[{i}]";
            var version = heads.Resolve(references[i], field);
            served[i] = Serve(heads, references[i].Name, version, lane, field);
            var record = served[i].Record;
            if (record.Backbone != loaded.Manifest.Name || record.BackboneVersion != loaded.Manifest.Version)
                throw new TransferException(ErrorCode.FailedPrecondition,
                    $"head {record.Name} v{record.Version} was trained on backbone {record.Backbone} ({record.BackboneVersion}), not {loaded.Manifest.Name} ({loaded.Manifest.Version})", field);
        }

        var embeddings = await pipeline.EmbedAsync(backbone, inputs, normalize: false, cancellationToken);
        var predictions = served.Select(head =>
        {
            lock (head.Scorer) return new HeadPrediction(head.Record, head.Scorer.Probabilities(embeddings.Embeddings, inputs.Count));
        }).ToArray();
        return (embeddings, predictions);
    }

    /// <summary>Forgets the scorers of a head (after it was deleted).</summary>
    public void Evict(HeadStore heads, string name)
    {
        foreach (var key in _served.Keys.Where(k => k.Store == heads.Root && k.Name == name))
            if (_served.TryRemove(key, out var head) && head.IsValueCreated) head.Value.Scorer.Dispose();
    }

    private ServedHead Serve(HeadStore heads, string name, int version, string lane, string field)
    {
        var lazy = _served.GetOrAdd((heads.Root, name, version), _ => new Lazy<ServedHead>(() =>
        {
            var record = heads.Read(name, version);
            return new ServedHead(record, runtime.CreateScorer(record.Weights, record.Temperature, lane));
        }));
        try
        {
            return lazy.Value;
        }
        catch (TransferException e)
        {
            _served.TryRemove((heads.Root, name, version), out _);
            throw new TransferException(e.Code, e.Message, field, e);
        }
    }

    public void Dispose()
    {
        foreach (var head in _served.Values.Where(h => h.IsValueCreated)) head.Value.Scorer.Dispose();
        _served.Clear();
    }
}
