using System.Diagnostics;
using TransferService.Core.Telemetry;

namespace TransferService.Core.Jobs;

/// <summary>The telemetry of one run of a job: its run span (a new trace, linked to the span of the call that submitted
/// the job, whose traceparent the job record keeps, so a run resumed after a restart still links back), one span per stage
/// the handler reports (embedding, training, evaluating, …), and the training-loss gauge. Owned by the run; dispose to end
/// the open spans.</summary>
internal sealed class JobTrace : IDisposable
{
    private readonly JobRecord _job;
    private readonly TransferMetrics? _metrics;
    private readonly Lock _gate = new();
    private string? _stageName;
    private Activity? _stage;

    public JobTrace(JobRecord job, TransferMetrics? metrics)
    {
        _job = job;
        _metrics = metrics;
        ActivityLink[] links = ActivityContext.TryParse(job.TraceParent, null, out var submitter) ? [new ActivityLink(submitter)] : [];
        // A root span: a job can run for hours and again after a restart, far outside the submitting call's trace.
        Run = TransferTelemetry.Source.StartActivity(TransferTelemetry.JobRun, ActivityKind.Internal, parentContext: default, links: links);
        Run?.SetTag(TransferTelemetry.JobId, job.Info.Id).SetTag(TransferTelemetry.JobKind, job.Info.Kind)
            .SetTag(TransferTelemetry.Tenant, job.Info.Tenant).SetTag(TransferTelemetry.JobAttempt, job.Info.Attempts);
    }

    /// <summary>The run's span, current while the handler runs (null when nobody samples it).</summary>
    public Activity? Run { get; }

    /// <summary>Starts a stage's span when the stage changes; records the latest epoch's losses.</summary>
    public void Report(JobProgress progress)
    {
        if (progress.Stage == "training" && progress.Epoch > 0)
            _metrics?.RecordTrainingLoss(_job.Info.Kind, progress.TrainLoss, progress.ValidationLoss);
        if (Run is null) return;
        lock (_gate)
        {
            if (progress.Stage == _stageName) return;
            _stage?.Dispose();
            _stageName = progress.Stage;
            // Not made current: the stage changes on whatever thread reports it, and the handler's device work stays
            // under the run's span.
            var reporter = Activity.Current;
            _stage = TransferTelemetry.Source.StartActivity($"{TransferTelemetry.JobRun}.{progress.Stage}", ActivityKind.Internal, Run.Context);
            _stage?.SetTag(TransferTelemetry.Stage, progress.Stage);
            Activity.Current = reporter;
        }
    }

    /// <summary>Ends the open stage and the run, with the state the run ended in.</summary>
    public void End(JobState? state, Exception? error = null)
    {
        lock (_gate)
        {
            _stage?.Dispose();
            _stage = null;
        }
        if (Run is null) return;
        if (state is { } ended) Run.SetTag(TransferTelemetry.JobState, TransferMetrics.StateName(ended));
        if (state == JobState.Failed) Run.SetStatus(ActivityStatusCode.Error, error?.Message);
    }

    public void Dispose()
    {
        End(null);
        Run?.Dispose();
    }
}
