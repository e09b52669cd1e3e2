namespace TransferService.Core.Scheduling;

/// <summary>The lane held by one owner from the grant until <see cref="Dispose"/>: a slice of training steps or a head
/// scoring pass. The owner runs its device work on its own thread in between and must dispose the turn; the lane's
/// time in between is charged to the turn's tenant.</summary>
public sealed class LaneTurn : LaneWork, IDisposable
{
    private readonly TaskCompletionSource _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal LaneTurn(WorkTag tag, CancellationToken cancellationToken) : base(tag, cancellationToken) { }

    internal Task Granted => _granted.Task;
    internal Task Released => _released.Task;

    internal void Grant() => _granted.TrySetResult();

    internal override void Abandon(Exception? error)
    {
        if (error is null) _granted.TrySetCanceled(CancellationToken);
        else _granted.TrySetException(error);
    }

    /// <summary>Gives the lane back to its scheduler.</summary>
    public void Dispose() => _released.TrySetResult();
}
