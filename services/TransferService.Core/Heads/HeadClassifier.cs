using System.Collections.Concurrent;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Heads;

/// <summary>Classify: one backbone pass for the inputs, then every requested head on those embeddings.
/// Keeps one scorer per head version of each tenant's store (created on first use, on the lane placement picks then);
/// owns and disposes them. With the scorer it keeps the version's neighbour index, which gives each input a
/// familiarity and, when asked, its nearest training examples.</summary>
public sealed class HeadClassifier(EmbeddingPipeline pipeline, IHeadRuntime runtime) : IDisposable
{
    /// <summary>Most nearest examples a request may ask for per head and input.</summary>
    public const int MaxNearest = 20;

    private sealed record ServedHead(HeadRecord Record, IHeadScorer Scorer, NeighbourIndex? Neighbours);

    private readonly ConcurrentDictionary<(string Store, string Name, int Version), Lazy<ServedHead>> _served = new();

    /// <summary>Classifies with heads from <paramref name="heads"/>, the caller's tenant's store, with the
    /// <paramref name="nearestK"/> (0 to <see cref="MaxNearest"/>) nearest training examples per head and input.</summary>
    public async Task<(EmbeddingResult Embeddings, IReadOnlyList<HeadPrediction> Predictions)> ClassifyAsync(HeadStore heads,
        string backbone, IReadOnlyList<HeadReference> references, IReadOnlyList<EmbeddingInput> inputs, WorkTag tag, CancellationToken cancellationToken,
        int nearestK = 0)
    {
        if (references.Count == 0) throw TransferException.Invalid("heads", "heads must name at least one head");
        if (nearestK is < 0 or > MaxNearest) throw TransferException.Invalid("nearest_k", $"nearest_k must be 0 to {MaxNearest}");
        var loaded = await pipeline.ResolveAsync(backbone, cancellationToken);
        var lane = loaded.PickLane();
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

        var embeddings = await pipeline.EmbedAsync(backbone, inputs, normalize: false, tag, cancellationToken);
        var predictions = new HeadPrediction[served.Length];
        for (var i = 0; i < served.Length; i++)
        {
            var head = served[i];
            var probabilities = await head.Scorer.ScoreAsync(embeddings.Embeddings, inputs.Count, tag, cancellationToken);
            predictions[i] = head.Neighbours is { } index
                ? Explain(head.Record, probabilities, index, embeddings.Embeddings, inputs.Count, nearestK, cancellationToken)
                : new HeadPrediction(head.Record, probabilities, null, Enumerable.Repeat<NearestExample[]>([], inputs.Count).ToArray());
        }
        return (embeddings, predictions);
    }

    private static HeadPrediction Explain(HeadRecord record, float[] probabilities, NeighbourIndex index, float[] embeddings, int count,
        int nearestK, CancellationToken cancellationToken)
    {
        var found = index.Nearest(index.Queries(embeddings, count), count, Math.Max(nearestK, NeighbourIndex.FamiliarityNeighbours),
            cancellation: cancellationToken);
        var familiarity = found.Select(NeighbourIndex.Familiarity).ToArray();
        var nearest = found.Select(rows => rows.Take(nearestK)
            .Select(n => new NearestExample(index.DatasetId, index.Examples[n.Row], record.Labels[index.Labels[n.Row]], n.Similarity)).ToArray()).ToArray();
        return new HeadPrediction(record, probabilities, familiarity, nearest);
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
            var neighbours = heads.ReadNeighbours(name, version);
            return new ServedHead(record, runtime.CreateScorer(record.Weights, record.Temperature, lane), neighbours);
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
