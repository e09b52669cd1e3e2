using TransferService.Benchmarks.Bare;
using TransferService.Contracts.V1;

namespace TransferService.Benchmarks.Workloads;

/// <summary>The same inputs for one backbone in the two forms the benchmark sends them: ready-made tensors
/// for the bare session, one-item Embed requests for the service. Both are used in rotation.</summary>
internal interface IWorkload
{
    /// <summary>The backbone's name, which is also its folder in the model repository.</summary>
    string Model { get; }
    /// <summary>The model output the bare session fetches: the one the service pools into the embedding.</summary>
    string Output { get; }
    /// <summary>What the inputs are, in a few words, for the log.</summary>
    string Description { get; }

    /// <summary>A few batches of <paramref name="batchSize"/> items; the caller owns and disposes them.</summary>
    IReadOnlyList<BareBatch> CreateBareBatches(int batchSize);

    IReadOnlyList<EmbedRequest> CreateRequests();
}
