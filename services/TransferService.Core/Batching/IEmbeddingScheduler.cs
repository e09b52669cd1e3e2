using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Batching;

/// <summary>The seam where the job scheduler plugs in: decides which lane runs an item, and when.</summary>
public interface IEmbeddingScheduler
{
    /// <summary>Queues one prepared input and completes with its pooled, unnormalised embedding.
    /// Throws ResourceExhausted when the chosen lane's queue is full.</summary>
    Task<float[]> EmbedAsync(LoadedBackbone backbone, PreparedInput input, WorkTag tag, CancellationToken cancellationToken);
}
