using System.Runtime.CompilerServices;
using Grpc.Core;
using TransferService.Contracts.V1;

namespace TransferService.Client.Jobs;

/// <summary>Follows a job through <c>WatchJob</c> until it has finished. The server sends the current state first,
/// so a stream cut by the network (UNAVAILABLE, or an end without a terminal state) is simply opened again.</summary>
internal static class JobWatcher
{
    private const int MaxReconnects = 5;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    public static async IAsyncEnumerable<Job> WatchAsync(JobService.JobServiceClient jobs, string jobId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reconnects = 0;
        while (true)
        {
            using var call = jobs.WatchJob(new WatchJobRequest { JobId = jobId }, cancellationToken: cancellationToken);
            var stream = call.ResponseStream;
            while (true)
            {
                bool moved;
                try
                {
                    moved = await stream.MoveNext(cancellationToken);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && reconnects < MaxReconnects)
                {
                    moved = false;
                }
                if (!moved) break;
                var job = stream.Current.Job;
                yield return job;
                if (IsTerminal(job.State)) yield break;
            }
            if (++reconnects > MaxReconnects)
                throw new RpcException(new Status(StatusCode.Unavailable, $"the watch of job {jobId} was cut {MaxReconnects} times"));
            await Task.Delay(ReconnectDelay, cancellationToken);
        }
    }

    public static bool IsTerminal(JobState state) =>
        state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}
