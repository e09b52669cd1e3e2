using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TransferService.Core.Batching;
using TransferService.Core.Errors;
using TransferService.Core.Placement;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Backbones;

/// <summary>Which backbones are loaded, on which lanes, and in what state. Loads and unloads at run time, and carries
/// out the decisions of the <see cref="LanePlacement"/> policy: where a backbone is loaded, which idle copies are
/// unloaded to make room, where a busy one spreads. Owns every <see cref="LoadedBackbone"/> and its instances, and
/// disposes them on unload, on eviction or at shutdown.</summary>
/// <remarks>Every change of what a lane holds happens under one lock, so two loads never both count on the same free
/// bytes. <see cref="LoadAsync(string, CancellationToken)"/> (and preloading) puts the backbone on every lane with
/// free room, else on one lane after unloading idle copies; a first inference call puts it on one lane; a busy
/// backbone then spreads lane by lane.</remarks>
public sealed class BackboneRegistry(
    ModelRepository repository,
    IBackboneRuntime runtime,
    BackboneOptions options,
    LaneSchedulers schedulers,
    LanePlacement placement,
    TimeProvider time,
    ILoggerFactory loggers) : IAsyncDisposable
{
    private sealed class Slot
    {
        public volatile LoadedBackbone? Loaded;
        public volatile BackboneState State = BackboneState.Available;
        public string Error = "";
    }

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentDictionary<Task, bool> _spreads = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger = loggers.CreateLogger<BackboneRegistry>();
    private readonly ILogger _batcherLogger = loggers.CreateLogger<DynamicBatcher>();

    public ModelRepository Repository => repository;

    public IReadOnlyList<BackboneInfo> List() =>
        repository.Names().Union(_slots.Keys).Order(StringComparer.Ordinal).Select(Describe).ToArray();

    /// <summary>NotFound when the backbone is neither loaded nor in the repository.</summary>
    public BackboneInfo Get(string name, string field = "name")
    {
        if (!_slots.TryGetValue(name, out var slot) || slot.Loaded is null) repository.Folder(name, field);
        return Describe(name);
    }

    /// <summary>Reads the backbone's folder again and loads it on every lane with free room (else on one lane, after
    /// unloading idle copies), replacing a loaded version. ResourceExhausted (field <c>name</c>) when no lane can hold it.</summary>
    public Task<LoadedBackbone> LoadAsync(string name, CancellationToken cancellationToken) =>
        LoadAsync(name, "name", replace: true, cancellationToken);

    private async Task<LoadedBackbone> LoadAsync(string name, string field, bool replace, CancellationToken cancellationToken)
    {
        var folder = repository.Folder(name, field);
        var slot = _slots.GetOrAdd(name, _ => new Slot());
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = slot.Loaded;
            if (!replace && previous is not null) return previous;
            slot.State = BackboneState.Loading;
            LoadedBackbone? loaded = null;
            try
            {
                loaded = await Task.Run(() => Create(name, folder), CancellationToken.None).ConfigureAwait(false);
                // The version being replaced leaves its lanes right after: its bytes do not count against the new one.
                var residents = Residents().Where(r => r.Backbone != name).ToArray();
                var lanes = replace ? placement.LanesWithRoom(name, loaded.FootprintBytes, residents) : [];
                if (lanes.Count == 0) await PlaceAsync(loaded, placement.PlanLoad(name, loaded.FootprintBytes, residents, field)).ConfigureAwait(false);
                foreach (var lane in lanes) loaded.Add(await CreateInstanceAsync(loaded, lane).ConfigureAwait(false));
                slot.Loaded = loaded;
                slot.State = BackboneState.Ready;
                slot.Error = "";
                _logger.LogInformation("Loaded backbone {Name} version {Version} on {Lanes} ({Footprint} bytes per lane, estimated)", name,
                    loaded.Manifest.Version, string.Join(", ", loaded.Lanes), loaded.FootprintBytes);
                if (previous is not null) await previous.UnloadAsync().ConfigureAwait(false);
                return loaded;
            }
            catch (Exception e)
            {
                if (loaded is not null) await loaded.UnloadAsync().ConfigureAwait(false);
                slot.State = previous is null ? BackboneState.Failed : BackboneState.Ready;
                slot.Error = e.Message;
                _logger.LogWarning("Loading backbone {Name} failed: {Error}", name, e.Message);
                if (e is TransferException) throw;
                throw new TransferException(ErrorCode.FailedPrecondition, $"backbone '{name}' could not be loaded: {e.Message}", field, e);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<BackboneInfo> UnloadAsync(string name, CancellationToken cancellationToken)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            repository.Folder(name);
            return Describe(name);
        }
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = slot.Loaded;
            slot.Loaded = null;
            slot.State = BackboneState.Available;
            if (loaded is not null)
            {
                await loaded.UnloadAsync().ConfigureAwait(false);
                _logger.LogInformation("Unloaded backbone {Name}", name);
            }
        }
        finally
        {
            _lock.Release();
        }
        return Describe(name);
    }

    /// <summary>The loaded backbone for an inference request: loads it on demand, or refuses with
    /// FailedPrecondition when on-demand loading is off. A backbone whose lane copies were all unloaded to make room
    /// is still loaded: the scheduler places it again.</summary>
    public async Task<LoadedBackbone> GetForInferenceAsync(string name, string field, CancellationToken cancellationToken)
    {
        if (_slots.TryGetValue(name, out var slot) && slot.Loaded is { } loaded) return loaded;
        repository.Folder(name, field);
        if (!options.LoadOnDemand)
            throw new TransferException(ErrorCode.FailedPrecondition,
                $"backbone '{name}' is not loaded; call LoadBackbone first", field);
        // Concurrent first requests load it once: the lock serialises them and the later ones find it loaded.
        return await LoadAsync(name, field, replace: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instance that takes the next item of <paramref name="loaded"/>: the one on the least-loaded lane,
    /// or, when no lane holds it any more, a new one placed by the policy. Unavailable once it was unloaded.</summary>
    public async ValueTask<BackboneInstance> PickInstanceAsync(LoadedBackbone loaded, string field, CancellationToken cancellationToken)
    {
        if (loaded.Unloaded) throw Unloaded(loaded);
        if (loaded.PickInstance() is { } instance)
        {
            instance.Touch();
            SpreadIfBusy(loaded, instance);
            return instance;
        }
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (loaded.Unloaded) throw Unloaded(loaded);
            var placed = loaded.PickInstance() ?? await PlaceAsync(loaded, placement.PlanLoad(loaded.Name, loaded.FootprintBytes, Residents(), field)).ConfigureAwait(false);
            placed.Touch();
            return placed;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Loads one more copy in the background when the policy says the serving lane is backed up and another
    /// lane has room; the current copies serve meanwhile.</summary>
    private void SpreadIfBusy(LoadedBackbone loaded, BackboneInstance serving)
    {
        if (placement.SpreadTarget(serving, loaded.Manifest.MaxBatchSize, Residents()) is null || !loaded.TryStartSpread()) return;
        var spread = Task.Run(async () =>
        {
            try
            {
                await _lock.WaitAsync(_stopping.Token).ConfigureAwait(false);
                try
                {
                    if (loaded.Unloaded || placement.SpreadTarget(serving, loaded.Manifest.MaxBatchSize, Residents()) is not { } lane) return;
                    loaded.Add(await CreateInstanceAsync(loaded, lane).ConfigureAwait(false));
                    _logger.LogInformation("Backbone {Name} spread to lane {Lane} (lane {Serving} is backed up)", loaded.Name, lane, serving.Lane);
                }
                finally
                {
                    _lock.Release();
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _logger.LogWarning("Spreading backbone {Name} to another lane failed: {Error}", loaded.Name, e.Message);
            }
            finally
            {
                loaded.EndSpread();
            }
        });
        _spreads.TryAdd(spread, true);
        spread.ContinueWith(t => _spreads.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Carries out a plan under the lock: unloads its idle copies (draining each), then loads a copy on its lane.</summary>
    private async Task<BackboneInstance> PlaceAsync(LoadedBackbone loaded, PlacementPlan plan)
    {
        foreach (var evicted in plan.Evict.Cast<BackboneInstance>())
        {
            if (_slots.TryGetValue(evicted.Backbone, out var owner) && owner.Loaded is { } holder) await holder.RemoveAsync(evicted).ConfigureAwait(false);
            _logger.LogInformation("Unloaded backbone {Evicted} from lane {Lane} to make room for {Name}", evicted.Backbone, plan.Lane, loaded.Name);
        }
        var instance = await CreateInstanceAsync(loaded, plan.Lane).ConfigureAwait(false);
        loaded.Add(instance);
        return instance;
    }

    private LoadedBackbone Create(string name, string folder)
    {
        var manifest = BackboneManifestReader.Read(folder);
        var footprint = BackboneFootprint.Estimate(folder, manifest, placement.Options.FootprintFactor) * runtime.WeightCopies(manifest);
        return new LoadedBackbone(name, manifest, runtime.CreatePreparer(manifest, folder), folder, footprint, placement, Residents);
    }

    /// <summary>The one place a batcher is made: a session on the lane and the batcher that feeds it.</summary>
    private async Task<BackboneInstance> CreateInstanceAsync(LoadedBackbone loaded, string lane)
    {
        var session = await Task.Run(() => runtime.CreateSession(loaded.Manifest, loaded.Folder, lane), CancellationToken.None).ConfigureAwait(false);
        var batcher = new DynamicBatcher(session, schedulers[lane], loaded.Manifest, _batcherLogger);
        return new BackboneInstance(loaded.Name, loaded.FootprintBytes, session, batcher, time);
    }

    /// <summary>Every instance of every loaded backbone: what the lanes hold now.</summary>
    private IReadOnlyList<ILaneResident> Residents() =>
        _slots.Values.Select(s => s.Loaded).OfType<LoadedBackbone>().SelectMany(l => l.Instances).ToArray();

    private static TransferException Unloaded(LoadedBackbone loaded) =>
        new(ErrorCode.Unavailable, $"backbone '{loaded.Name}' is being unloaded");

    private BackboneInfo Describe(string name)
    {
        _slots.TryGetValue(name, out var slot);
        if (slot?.Loaded is { } loaded)
            return new BackboneInfo(name, loaded.Manifest, slot.State, loaded.Lanes, slot.Error, loaded.ItemsEmbedded, loaded.FootprintBytes, loaded.Describe());
        BackboneManifest? manifest = null;
        var error = slot?.Error ?? "";
        try
        {
            manifest = BackboneManifestReader.Read(Path.Combine(repository.Root, name));
        }
        catch (TransferException e)
        {
            error = e.Message;
        }
        var state = slot?.State ?? BackboneState.Available;
        if (manifest is null && state == BackboneState.Available) state = BackboneState.Failed;
        return new BackboneInfo(name, manifest, state, [], error);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_spreads.Keys).ConfigureAwait(false);
        foreach (var slot in _slots.Values)
            if (slot.Loaded is { } loaded) await loaded.UnloadAsync().ConfigureAwait(false);
        _slots.Clear();
        _stopping.Dispose();
    }
}
