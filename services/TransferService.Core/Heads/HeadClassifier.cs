using System.Collections.Concurrent;
using TransferService.Core.Embeddings;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Heads;

/// <summary>Classify: one backbone pass for the inputs, then every requested head on those embeddings.
/// Keeps one scorer per head version of each tenant's store (created on first use, on the lane placement picks then);
/// owns and disposes them. With the scorer it keeps the version's neighbour index, which gives each input a
/// familiarity and, when asked, its nearest training examples. A call holds the heads it uses until it is done, so a
/// version deleted meanwhile is disposed only after the last call using it has finished with it.</summary>
public sealed class HeadClassifier(EmbeddingPipeline pipeline, IHeadRuntime runtime) : IDisposable
{
    /// <summary>Most nearest examples a request may ask for per head and input.</summary>
    public const int MaxNearest = 20;
    /// <summary>Most heads one call (or one extraction job) classifies with: each costs a scoring pass and a neighbour
    /// search over the call's inputs.</summary>
    public const int MaxHeads = 16;

    /// <summary>A version's scorer and index, disposed when the cache and every call holding it have let go.</summary>
    private sealed class ServedHead(HeadRecord record, IHeadScorer scorer, NeighbourIndex? neighbours)
    {
        private readonly Lock _lock = new();
        private int _holders = 1; // the cache's own
        private int _evicted;

        public HeadRecord Record => record;
        public IHeadScorer Scorer => scorer;
        public NeighbourIndex? Neighbours => neighbours;

        /// <summary>False once the version has been let go by everyone (evicted, and no call holds it).</summary>
        public bool TryHold()
        {
            lock (_lock)
            {
                if (_holders == 0) return false;
                _holders++;
                return true;
            }
        }

        public void Release()
        {
            lock (_lock)
            {
                if (--_holders > 0) return;
            }
            scorer.Dispose();
        }

        /// <summary>The cache lets go of the version (once, however many find it gone).</summary>
        public void Evicted()
        {
            if (Interlocked.Exchange(ref _evicted, 1) == 0) Release();
        }
    }

    private readonly ConcurrentDictionary<(string Store, string Name, int Version), Lazy<ServedHead>> _served = new();

    /// <summary>Classifies with heads from <paramref name="heads"/>, the caller's tenant's store, with the
    /// <paramref name="nearestK"/> (0 to <see cref="MaxNearest"/>) nearest training examples per head and input.</summary>
    public async Task<(EmbeddingResult Embeddings, IReadOnlyList<HeadPrediction> Predictions)> ClassifyAsync(HeadStore heads,
        string backbone, IReadOnlyList<HeadReference> references, IReadOnlyList<EmbeddingInput> inputs, WorkTag tag, CancellationToken cancellationToken,
        int nearestK = 0)
    {
        if (references.Count == 0) throw TransferException.Invalid("heads", "heads must name at least one head");
        if (references.Count > MaxHeads) throw TransferException.Invalid("heads", $"{references.Count} heads; one call classifies with at most {MaxHeads}");
        if (nearestK is < 0 or > MaxNearest) throw TransferException.Invalid("nearest_k", $"nearest_k must be 0 to {MaxNearest}");
        var loaded = await pipeline.ResolveAsync(backbone, cancellationToken);
        var lane = loaded.PickLane();
        var served = new List<ServedHead>(references.Count);
        try
        {
            for (var i = 0; i < references.Count; i++)
            {
                var field = $"heads[{i}]";
                var version = heads.Resolve(references[i], field);
                served.Add(Hold(heads, references[i].Name, version, lane, field));
                var record = served[i].Record;
                if (record.Backbone != loaded.Manifest.Name || record.BackboneVersion != loaded.Manifest.Version)
                    throw new TransferException(ErrorCode.FailedPrecondition,
                        $"head {record.Name} v{record.Version} was trained on backbone {record.Backbone} ({record.BackboneVersion}), not {loaded.Manifest.Name} ({loaded.Manifest.Version})", field);
            }

            var embeddings = await pipeline.EmbedAsync(backbone, inputs, normalize: false, tag, cancellationToken);
            var predictions = new HeadPrediction[served.Count];
            for (var i = 0; i < served.Count; i++)
            {
                var head = served[i];
                var probabilities = await head.Scorer.ScoreAsync(embeddings.Embeddings, inputs.Count, tag, cancellationToken);
                predictions[i] = head.Neighbours is { } index
                    ? Explain(head.Record, probabilities, index, embeddings.Embeddings, inputs.Count, nearestK, cancellationToken)
                    : new HeadPrediction(head.Record, probabilities, null, Enumerable.Repeat<NearestExample[]>([], inputs.Count).ToArray());
            }
            return (embeddings, predictions);
        }
        finally
        {
            foreach (var head in served) head.Release();
        }
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

    /// <summary>Forgets a deleted version (or every version of a deleted head: <paramref name="version"/> 0). Its scorer
    /// is disposed once the calls still using it are done.</summary>
    public void Evict(HeadStore heads, string name, int version)
    {
        foreach (var key in _served.Keys.Where(k => k.Store == heads.Root && k.Name == name && (version == 0 || k.Version == version)))
            if (_served.TryRemove(key, out var head) && head.IsValueCreated) head.Value.Evicted();
    }

    /// <summary>The version's scorer and index, held for the caller until it calls <see cref="ServedHead.Release"/>.</summary>
    private ServedHead Hold(HeadStore heads, string name, int version, string lane, string field)
    {
        var key = (heads.Root, name, version);
        while (true)
        {
            var lazy = _served.GetOrAdd(key, _ => new Lazy<ServedHead>(() =>
            {
                var record = heads.Read(name, version);
                var neighbours = heads.ReadNeighbours(name, version);
                return new ServedHead(record, runtime.CreateScorer(record.Weights, record.Temperature, lane), neighbours);
            }));
            ServedHead head;
            try
            {
                head = lazy.Value;
            }
            catch (Exception e)
            {
                // Not cached: the next call tries again (the file may be repaired, the device may have room).
                _served.TryRemove(KeyValuePair.Create(key, lazy));
                if (e is TransferException transfer) throw new TransferException(transfer.Code, transfer.Message, field, transfer);
                throw;
            }
            if (head.TryHold())
            {
                // Evicted while it was being opened: the eviction could not let go of a version not yet created.
                if (!_served.TryGetValue(key, out var current) || current != lazy) head.Evicted();
                return head;
            }
            // Evicted and disposed between the lookup and the hold: the entry is gone, so look again.
        }
    }

    public void Dispose()
    {
        foreach (var key in _served.Keys)
            if (_served.TryRemove(key, out var head) && head.IsValueCreated) head.Value.Evicted();
    }
}
