using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TransferService.Core.Batching;
using TransferService.Core.Errors;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Backbones;

/// <summary>Which backbones are loaded, on which lanes, and in what state. Loads and unloads at run time;
/// owns every <see cref="LoadedBackbone"/> and disposes it on unload or at shutdown.</summary>
public sealed class BackboneRegistry(
    ModelRepository repository,
    IBackboneRuntime runtime,
    BackboneOptions options,
    LaneSchedulers schedulers,
    ILoggerFactory loggers) : IAsyncDisposable
{
    private sealed class Slot
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public volatile LoadedBackbone? Loaded;
        public volatile BackboneState State = BackboneState.Available;
        public string Error = "";
    }

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<BackboneRegistry>();

    public ModelRepository Repository => repository;

    public IReadOnlyList<BackboneInfo> List() =>
        repository.Names().Union(_slots.Keys).Order(StringComparer.Ordinal).Select(Describe).ToArray();

    /// <summary>NotFound when the backbone is neither loaded nor in the repository.</summary>
    public BackboneInfo Get(string name, string field = "name")
    {
        if (!_slots.TryGetValue(name, out var slot) || slot.Loaded is null) repository.Folder(name, field);
        return Describe(name);
    }

    /// <summary>Reads the backbone's folder again and loads it on every lane, replacing a loaded version.</summary>
    public Task<LoadedBackbone> LoadAsync(string name, CancellationToken cancellationToken) =>
        LoadAsync(name, "name", replace: true, cancellationToken);

    private async Task<LoadedBackbone> LoadAsync(string name, string field, bool replace, CancellationToken cancellationToken)
    {
        var folder = repository.Folder(name, field);
        var slot = _slots.GetOrAdd(name, _ => new Slot());
        await slot.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = slot.Loaded;
            if (!replace && previous is not null) return previous;
            slot.State = BackboneState.Loading;
            try
            {
                var loaded = await Task.Run(() => Create(folder), CancellationToken.None).ConfigureAwait(false);
                slot.Loaded = loaded;
                slot.State = BackboneState.Ready;
                slot.Error = "";
                _logger.LogInformation("Loaded backbone {Name} version {Version} on {Lanes}", name,
                    loaded.Manifest.Version, string.Join(", ", loaded.Lanes));
                if (previous is not null) await previous.DisposeAsync().ConfigureAwait(false);
                return loaded;
            }
            catch (Exception e)
            {
                slot.State = previous is null ? BackboneState.Failed : BackboneState.Ready;
                slot.Error = e.Message;
                _logger.LogWarning("Loading backbone {Name} failed: {Error}", name, e.Message);
                if (e is TransferException) throw;
                throw new TransferException(ErrorCode.FailedPrecondition, $"backbone '{name}' could not be loaded: {e.Message}", "name", e);
            }
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    public async Task<BackboneInfo> UnloadAsync(string name, CancellationToken cancellationToken)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            repository.Folder(name);
            return Describe(name);
        }
        await slot.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = slot.Loaded;
            slot.Loaded = null;
            slot.State = BackboneState.Available;
            if (loaded is not null)
            {
                await loaded.DisposeAsync().ConfigureAwait(false);
                _logger.LogInformation("Unloaded backbone {Name}", name);
            }
        }
        finally
        {
            slot.Lock.Release();
        }
        return Describe(name);
    }

    /// <summary>The loaded backbone for an inference request: loads it on demand, or refuses with
    /// FailedPrecondition when on-demand loading is off.</summary>
    public async Task<LoadedBackbone> GetForInferenceAsync(string name, string field, CancellationToken cancellationToken)
    {
        if (_slots.TryGetValue(name, out var slot) && slot.Loaded is { } loaded) return loaded;
        repository.Folder(name, field);
        if (!options.LoadOnDemand)
            throw new TransferException(ErrorCode.FailedPrecondition,
                $"backbone '{name}' is not loaded; call LoadBackbone first", field);
        // Concurrent first requests load it once: the slot lock serialises them and the later ones find it loaded.
        return await LoadAsync(name, field, replace: false, cancellationToken).ConfigureAwait(false);
    }

    private LoadedBackbone Create(string folder)
    {
        var manifest = BackboneManifestReader.Read(folder);
        var preparer = runtime.CreatePreparer(manifest, folder);
        var sessions = new List<IBackboneSession>();
        try
        {
            foreach (var lane in runtime.Lanes) sessions.Add(runtime.CreateSession(manifest, folder, lane));
        }
        catch
        {
            foreach (var session in sessions) session.Dispose();
            throw;
        }
        var logger = loggers.CreateLogger<DynamicBatcher>();
        var batchers = sessions.Select(s => new DynamicBatcher(s, schedulers[s.Lane], manifest, logger)).ToArray();
        return new LoadedBackbone(manifest, preparer, batchers, sessions);
    }

    private BackboneInfo Describe(string name)
    {
        _slots.TryGetValue(name, out var slot);
        if (slot?.Loaded is { } loaded) return new BackboneInfo(name, loaded.Manifest, slot.State, loaded.Lanes, slot.Error, loaded.ItemsEmbedded);
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
        foreach (var slot in _slots.Values)
            if (slot.Loaded is { } loaded) await loaded.DisposeAsync().ConfigureAwait(false);
        _slots.Clear();
    }
}
