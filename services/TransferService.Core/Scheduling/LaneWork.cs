using System.Diagnostics;

namespace TransferService.Core.Scheduling;

/// <summary>One unit waiting for a lane: an item that runs in a batch with others of its source, or a
/// <see cref="LaneTurn"/> that holds the lane alone. The lane's scheduler owns it from enqueue until it runs or is
/// abandoned (its caller cancelled, or the lane stopped).</summary>
public abstract class LaneWork(WorkTag tag, CancellationToken cancellationToken)
{
    public WorkTag Tag { get; } = tag;

    /// <summary>The caller's token: the queue timeout. Work whose token fires while queued never runs.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>What this item batches with; null for a turn.</summary>
    internal virtual IBatchSource? Source => null;

    /// <summary>Token count of a text item (a batch is padded to its longest); 0 where every item costs the same.</summary>
    internal virtual int Length => 0;

    /// <summary>The span of whoever queued the work (a call, a job), for the queue-wait and inference spans.</summary>
    internal ActivityContext Parent { get; } = Activity.Current?.Context ?? default;

    internal long Enqueued;
    internal LinkedListNode<LaneWork>? Node;
    private readonly Lock _registrationLock = new();
    private CancellationTokenRegistration _registration;
    private bool _taken;

    /// <summary>Keeps the registration that drops this work when its token fires while queued; unregisters it at once
    /// when the lane took the work first (the registration is made after queueing, outside the lane's lock).</summary>
    internal void Registered(CancellationTokenRegistration registration)
    {
        bool taken;
        lock (_registrationLock) (_registration, taken) = (registration, _taken);
        if (taken) registration.Unregister();
    }

    /// <summary>The lane runs the work now: its token no longer drops it from the queue.</summary>
    internal void Taken()
    {
        CancellationTokenRegistration registration;
        lock (_registrationLock) (registration, _taken) = (_registration, true);
        registration.Unregister();
    }

    /// <summary>Completes the work without running it: cancelled when <paramref name="error"/> is null.</summary>
    internal abstract void Abandon(Exception? error);
}
