using Microsoft.Extensions.Logging;
using TransferService.Core.Errors;

namespace TransferService.Core.Jobs;

/// <summary>What the job runner logs: one line when a job starts and one when its run ends, however it ends.</summary>
internal static partial class JobLog
{
    [LoggerMessage(1, LogLevel.Information, "Job {Id} ({Kind}, tenant {Tenant}) started, attempt {Attempt}")]
    public static partial void Started(ILogger logger, string id, string kind, string tenant, int attempt);

    [LoggerMessage(2, LogLevel.Information, "Job {Id} ({Kind}) succeeded in {Seconds:0.0} s: {Result}")]
    public static partial void Succeeded(ILogger logger, string id, string kind, double seconds, string result);

    [LoggerMessage(3, LogLevel.Warning, "Job {Id} ({Kind}) failed after {Seconds:0.0} s: {Code} {Message}")]
    public static partial void Failed(ILogger logger, string id, string kind, double seconds, ErrorCode code, string message);

    [LoggerMessage(4, LogLevel.Information, "Job {Id} ({Kind}) cancelled after {Seconds:0.0} s")]
    public static partial void Cancelled(ILogger logger, string id, string kind, double seconds);

    [LoggerMessage(5, LogLevel.Information, "Job {Id} ({Kind}) stopped by shutdown after {Seconds:0.0} s; it is queued again and resumes at the next start")]
    public static partial void Released(ILogger logger, string id, string kind, double seconds);

    [LoggerMessage(6, LogLevel.Error, "Job {Id} failed on attempt {Attempt} of {Max}")]
    public static partial void InternalError(ILogger logger, Exception exception, string id, int attempt, int max);

    [LoggerMessage(7, LogLevel.Warning, "Job {Id} was claimed by another owner while it ran here; this run stopped without recording anything")]
    public static partial void LostWhileRunning(ILogger logger, string id);

    [LoggerMessage(8, LogLevel.Warning, "Job {Id} was claimed by another owner before this run could record that it ended {State}")]
    public static partial void LostBeforeFinish(ILogger logger, string id, JobState state);

    [LoggerMessage(9, LogLevel.Error, "Heartbeat of job {Id} failed; it stops heartbeating")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(10, LogLevel.Warning, "{Count} job(s) of a previous process that stopped without finishing them resume now")]
    public static partial void Resuming(ILogger logger, int count);

    [LoggerMessage(11, LogLevel.Error, "The job store failed; trying again")]
    public static partial void StoreFailed(ILogger logger, Exception exception);
}
