using TransferService.Core.Errors;
using TransferService.Core.Jobs;

namespace TransferService.Core.Extraction;

/// <summary>Removes the files of an extraction job that ended without succeeding, so a cancelled or failed job leaves
/// nothing behind. A handler stopped by its token cannot tell a cancel from a lost lease or a shutdown, after which
/// the job resumes from these very files; so it waits for the job's final state instead of guessing. The runner is
/// resolved lazily: it holds the handlers, which hold this. The wait ends at <paramref name="stopping"/> (shutdown),
/// leaving the files to the run that resumes the job.</summary>
public sealed class ExtractionCleanup(Func<IJobRunner> runner, CancellationToken stopping)
{
    public void RemoveWhenAbandoned(string jobId, string tenant, ExtractionFolder folder) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var job in runner().WatchAsync(jobId, tenant, stopping))
                    if (job.State is JobState.Cancelled or JobState.Failed) folder.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException or ObjectDisposedException or TransferException)
            {
                // Best effort: a job that is gone, or files that cannot be removed now, leave nothing a client can download.
            }
        });

    /// <summary>Removes, once at start, the folders under <paramref name="tenantsRoot"/> of extraction jobs that ended
    /// cancelled or failed before the process could remove them, or that the job store does not know; returns how many.</summary>
    public int RemoveAbandoned(string tenantsRoot)
    {
        var removed = 0;
        foreach (var extractions in Directory.Exists(tenantsRoot) ? Directory.EnumerateDirectories(tenantsRoot, "extractions", SearchOption.AllDirectories) : [])
        {
            var tenant = Path.GetFileName(Path.GetDirectoryName(extractions)!);
            foreach (var jobId in Directory.EnumerateDirectories(extractions).Select(Path.GetFileName).OfType<string>())
            {
                JobState? state;
                try { state = runner().Get(jobId, tenant).State; }
                catch (TransferException e) when (e.Code == ErrorCode.NotFound) { state = null; }
                if (state is not (null or JobState.Cancelled or JobState.Failed)) continue;
                new ExtractionFolder(tenantsRoot, tenant, jobId).Delete();
                removed++;
            }
        }
        return removed;
    }
}
