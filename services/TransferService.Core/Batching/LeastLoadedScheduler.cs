using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Batching;

/// <summary>Sends each item to the lane holding the backbone with the fewest items waiting.</summary>
public sealed class LeastLoadedScheduler : IEmbeddingScheduler
{
    public Task<float[]> EmbedAsync(LoadedBackbone backbone, PreparedInput input, WorkTag tag, CancellationToken cancellationToken)
    {
        var best = backbone.Batchers[0];
        foreach (var batcher in backbone.Batchers)
            if (batcher.QueuedItems < best.QueuedItems) best = batcher;
        return best.EnqueueAsync(input, tag, cancellationToken);
    }
}
