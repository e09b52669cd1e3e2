using TransferService.Core.Inputs;

namespace TransferService.Core.Batching;

/// <summary>One queued input. The batcher owns it from enqueue until it completes <see cref="Result"/>.</summary>
internal sealed class BatchItem(PreparedInput input, CancellationToken cancellationToken)
{
    public PreparedInput Input { get; } = input;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
