using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Batching;

/// <summary>Sends each item to the instance of the backbone on the least-loaded lane, as the placement policy picks it
/// (placing the backbone again when every copy was unloaded to make room, spreading it when its lane is backed up).</summary>
public sealed class LeastLoadedScheduler(BackboneRegistry registry) : IEmbeddingScheduler
{
    /// <summary>How often an item that lost the race to an instance being unloaded is sent elsewhere.</summary>
    private const int MaxRetries = 3;

    public async Task<float[]> EmbedAsync(LoadedBackbone backbone, PreparedInput input, WorkTag tag, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var instance = await registry.PickInstanceAsync(backbone, "backbone", cancellationToken).ConfigureAwait(false);
            Task<float[]> embedding;
            try
            {
                embedding = instance.Batcher.EnqueueAsync(input, tag, cancellationToken);
            }
            catch (TransferException) when (instance.Retired && attempt < MaxRetries)
            {
                // The instance was taken out of service between the pick and the enqueue; nothing was accepted.
                continue;
            }
            return await embedding.ConfigureAwait(false);
        }
    }
}
