using TransferService.Core.Batching;
using TransferService.Core.Placement;

namespace TransferService.Core.Backbones;

/// <summary>One backbone loaded on one lane: its session and the batcher that feeds it. Owns both; disposing it drains
/// the batcher (every accepted item completes) and then frees the session.</summary>
public sealed class BackboneInstance(string backbone, long footprintBytes, IBackboneSession session, DynamicBatcher batcher, TimeProvider time)
    : ILaneResident, IAsyncDisposable
{
    private long _lastUsed = time.GetTimestamp();
    private volatile bool _retired;

    public string Backbone { get; } = backbone;
    public string Lane => session.Lane;
    public long FootprintBytes { get; } = footprintBytes;
    public DynamicBatcher Batcher { get; } = batcher;
    public int QueuedItems => Batcher.QueuedItems;
    public long ItemsEmbedded => Batcher.ItemsEmbedded;
    public long LastUsed => Interlocked.Read(ref _lastUsed);

    /// <summary>Set once the instance is taken out of service: an item that lost the race to it goes elsewhere.</summary>
    public bool Retired => _retired;

    public void Touch() => Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());

    public void Retire() => _retired = true;

    public async ValueTask DisposeAsync()
    {
        _retired = true;
        await Batcher.DisposeAsync().ConfigureAwait(false);
        session.Dispose();
    }
}
