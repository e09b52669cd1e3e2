using System.Collections.Concurrent;

namespace TransferService.Core.Jobs;

/// <summary>Tells watchers in this process that a job changed. A watcher takes <see cref="Next"/> before it reads the
/// job, so a change made after the read completes the task it waits on. Jobs changed by another process are seen by
/// polling (see <see cref="JobOptions.PollInterval"/>).</summary>
internal sealed class JobChanges
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _next = new(StringComparer.Ordinal);

    public Task Next(string id) =>
        _next.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(string id)
    {
        if (_next.TryRemove(id, out var changed)) changed.TrySetResult();
    }
}
