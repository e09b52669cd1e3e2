namespace TransferService.Core.Jobs;

/// <summary>Reports on the caller's thread, in order. (<see cref="Progress{T}"/> posts to the thread pool
/// and can reorder updates.)</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
