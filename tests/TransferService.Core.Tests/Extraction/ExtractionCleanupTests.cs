using TransferService.Core.Errors;
using TransferService.Core.Extraction;
using TransferService.Core.Jobs;

namespace TransferService.Core.Tests.Extraction;

public sealed class ExtractionCleanupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("extraction-cleanup").FullName;

    [Fact]
    public void RemoveAbandoned_FoldersOfCancelledFailedAndUnknownJobs_RemovedOthersKept()
    {
        var states = new Dictionary<string, JobState>
        {
            ["job-cancelled"] = JobState.Cancelled, ["job-failed"] = JobState.Failed,
            ["job-running"] = JobState.Running, ["job-queued"] = JobState.Queued, ["job-done"] = JobState.Succeeded,
        };
        foreach (var job in states.Keys.Append("job-unknown")) Directory.CreateDirectory(new ExtractionFolder(_root, "acme", job).Path);
        var cleanup = new ExtractionCleanup(() => new StateRunner(states), CancellationToken.None);

        var removed = cleanup.RemoveAbandoned(_root);

        Assert.Equal(3, removed);
        Assert.Equal(["job-done", "job-queued", "job-running"],
            Directory.EnumerateDirectories(Path.Combine(_root, "acme", "extractions")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Answers Get from a table of states (tenant "acme" only); nothing else is called.</summary>
    private sealed class StateRunner(IReadOnlyDictionary<string, JobState> states) : IJobRunner
    {
        public JobInfo Get(string id, string tenant) => tenant == "acme" && states.TryGetValue(id, out var state)
            ? new JobInfo(id, tenant, ExtractFeaturesJob.JobKind, state, new JobProgress("", 0), "", null, DateTimeOffset.UnixEpoch, null, null)
            : throw new TransferException(ErrorCode.NotFound, $"job '{id}' does not exist", "job_id");

        public JobInfo Submit(JobSubmission submission) => throw new NotSupportedException();
        public (IReadOnlyList<JobInfo> Jobs, string? NextPageToken) List(JobQuery query) => throw new NotSupportedException();
        public IAsyncEnumerable<JobInfo> WatchAsync(string id, string tenant, CancellationToken cancellationToken) => throw new NotSupportedException();
        public JobInfo Cancel(string id, string tenant) => throw new NotSupportedException();
    }
}
