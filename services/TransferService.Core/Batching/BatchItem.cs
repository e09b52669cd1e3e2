using TransferService.Core.Inputs;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Batching;

/// <summary>One queued input. The lane's scheduler owns it from enqueue until its batcher completes <see cref="Result"/>.</summary>
internal sealed class BatchItem(DynamicBatcher batcher, PreparedInput input, WorkTag tag, CancellationToken cancellationToken)
    : LaneWork(tag, cancellationToken)
{
    public PreparedInput Input { get; } = input;
    public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal override IBatchSource Source => batcher;
    internal override int Length => Input.Report.Tokens;
    internal override void Abandon(Exception? error) => batcher.Abandon(this, error);
}
