using Microsoft.Extensions.Logging;
using TransferService.Core.Errors;

namespace TransferService.Core.Jobs;

/// <summary>One run of a claimed job on a worker of <see cref="DurableJobRunner"/>: calls its handler, keeps the claim
/// alive (heartbeat, progress at most every <see cref="JobOptions.ProgressInterval"/>), and records how the run ended:
/// finished, released to the queue (shutdown), requeued after a backoff (an internal error with attempts left), or
/// nothing at all when another owner has claimed the job since.</summary>
internal sealed class JobRun(DurableJobRunner runner, JobRecord claimed)
{
    private readonly JobContext _job = new(claimed, runner.Store, runner.Changes);
    private JobInfo Info => claimed.Info;

    public async Task RunAsync(CancellationToken stopping)
    {
        var options = runner.Options;
        using var trace = new JobTrace(claimed, runner.Metrics);
        _job.Trace = trace;
        runner.Running[Info.Id] = _job;
        runner.Changes.Notify(Info.Id);
        JobLog.Started(runner.Logger, Info.Id, Info.Kind, Info.Tenant, Info.Attempts);
        var clock = runner.Time.GetTimestamp();
        double Seconds() => runner.Time.GetElapsedTime(clock).TotalSeconds;
        using var deadline = new CancellationTokenSource(options.MaxDuration, runner.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_job.Stopped, deadline.Token, stopping);
        using var ended = new CancellationTokenSource();
        var keepAlive = KeepAliveAsync(ended.Token);
        try
        {
            // A cancel that came between the claim and the registration above found no running job to tell.
            if (runner.Store.Get(Info.Id)?.CancelRequested == true) _job.RequestCancel();
            var handler = runner.Handler(Info.Kind)
                ?? throw new TransferException(ErrorCode.FailedPrecondition, $"this version of the service has no handler for job kind '{Info.Kind}'");
            var result = await handler.RunAsync(_job, stop.Token).ConfigureAwait(false);
            if (Finish(trace, JobState.Succeeded, _job.Info.Progress with { Stage = "done", Fraction = 1 }, result, null))
                JobLog.Succeeded(runner.Logger, Info.Id, Info.Kind, Seconds(), result);
        }
        catch (Exception) when (_job.LeaseLost)
        {
            JobLog.LostWhileRunning(runner.Logger, Info.Id);
        }
        // A handler may report its stop as a Cancelled error rather than an OperationCanceledException.
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or TransferException { Code: ErrorCode.Cancelled })
        {
            if (_job.CancelRequested)
            {
                if (Finish(trace, JobState.Cancelled, _job.Info.Progress, "", null)) JobLog.Cancelled(runner.Logger, Info.Id, Info.Kind, Seconds());
            }
            // Over its time budget: a quota, like memory, so RESOURCE_EXHAUSTED (DEADLINE_EXCEEDED is a call's deadline).
            else if (deadline.IsCancellationRequested)
                Fail(trace, new TransferException(ErrorCode.ResourceExhausted,
                    $"the job ran longer than {JobOptions.Section}:{nameof(JobOptions.MaxDuration)} ({options.MaxDuration}) and was stopped"), Seconds());
            else if (runner.Store.Release(Info.Id, _job.Fence))
            {
                trace.End(JobState.Queued);
                JobLog.Released(runner.Logger, Info.Id, Info.Kind, Seconds());
            }
        }
        catch (TransferException e) when (e.Code != ErrorCode.Internal)
        {
            Fail(trace, e, Seconds());
        }
        catch (Exception e)
        {
            JobLog.InternalError(runner.Logger, e, Info.Id, Info.Attempts, options.MaxAttempts);
            var error = new TransferException(ErrorCode.Internal, $"job {Info.Id} failed on an internal error (attempt {Info.Attempts} of " +
                $"{JobOptions.Section}:{nameof(JobOptions.MaxAttempts)} {options.MaxAttempts}); see the service log");
            if (Info.Attempts < options.MaxAttempts)
            {
                runner.Store.Requeue(Info.Id, _job.Fence, runner.Time.GetUtcNow() + options.RetryBackoff * Math.Pow(2, Info.Attempts - 1), error);
                trace.End(JobState.Queued, error);
            }
            else Fail(trace, error, Seconds());
        }
        finally
        {
            await ended.CancelAsync().ConfigureAwait(false);
            await keepAlive.ConfigureAwait(false);
            runner.Running.TryRemove(new(Info.Id, _job));
            runner.Changes.Notify(Info.Id);
        }
    }

    private void Fail(JobTrace trace, TransferException error, double seconds)
    {
        if (Finish(trace, JobState.Failed, _job.Info.Progress, "", error)) JobLog.Failed(runner.Logger, Info.Id, Info.Kind, seconds, error.Code, error.Message);
    }

    /// <summary>Records the end in the store; false (and a warning) when another owner has claimed the job since.</summary>
    private bool Finish(JobTrace trace, JobState state, JobProgress progress, string result, TransferException? error)
    {
        trace.End(state, error);
        if (!runner.Store.Finish(Info.Id, _job.Fence, state, progress, result, error, runner.Time.GetUtcNow()))
        {
            JobLog.LostBeforeFinish(runner.Logger, Info.Id, state);
            return false;
        }
        runner.Metrics?.RecordJobFinished(Info.Kind, state);
        return true;
    }

    /// <summary>Writes reported progress at most every <see cref="JobOptions.ProgressInterval"/> and extends the lease at
    /// least every <see cref="JobOptions.HeartbeatInterval"/>; stops the job when the store says it was cancelled or claimed anew.</summary>
    private async Task KeepAliveAsync(CancellationToken ended)
    {
        var options = runner.Options;
        var lastBeat = runner.Time.GetUtcNow();
        using var timer = new PeriodicTimer(options.ProgressInterval < options.HeartbeatInterval ? options.ProgressInterval : options.HeartbeatInterval, runner.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ended).ConfigureAwait(false))
            {
                var progress = _job.TakeUnwrittenProgress();
                var now = runner.Time.GetUtcNow();
                if (progress is null && now - lastBeat < options.HeartbeatInterval) continue;
                var lease = runner.Store.Heartbeat(Info.Id, _job.Fence, now + options.LeaseDuration, progress);
                lastBeat = now;
                if (lease == LeaseState.Lost) _job.LoseLease();
                else if (lease == LeaseState.CancelRequested) _job.RequestCancel();
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A store that cannot be written now: the lease runs out and another run takes the job over.
            JobLog.HeartbeatFailed(runner.Logger, e, Info.Id);
        }
    }
}
