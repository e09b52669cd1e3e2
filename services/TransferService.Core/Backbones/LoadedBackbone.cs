using TransferService.Core.Batching;

namespace TransferService.Core.Backbones;

/// <summary>A backbone ready for inference: its preparer and one batcher per lane it is loaded on.
/// Owned by <see cref="BackboneRegistry"/>, which disposes the batchers and sessions on unload.</summary>
public sealed class LoadedBackbone(BackboneManifest manifest, IInputPreparer preparer,
    IReadOnlyList<DynamicBatcher> batchers, IReadOnlyList<IBackboneSession> sessions) : IAsyncDisposable
{
    public BackboneManifest Manifest { get; } = manifest;
    public IInputPreparer Preparer { get; } = preparer;
    public IReadOnlyList<DynamicBatcher> Batchers { get; } = batchers;
    public IReadOnlyList<string> Lanes { get; } = batchers.Select(b => b.Lane).ToArray();

    /// <summary>Items run through the model on all lanes since load.</summary>
    public long ItemsEmbedded => Batchers.Sum(b => b.ItemsEmbedded);

    public async ValueTask DisposeAsync()
    {
        foreach (var batcher in Batchers) await batcher.DisposeAsync().ConfigureAwait(false);
        foreach (var session in sessions) session.Dispose();
    }
}
