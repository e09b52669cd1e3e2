using System.Diagnostics;

namespace TransferService.Core.Telemetry;

/// <summary>The service's one <see cref="ActivitySource"/> and the names its spans and instruments share. Spans cost
/// nothing unless a listener (the host's OpenTelemetry tracer) samples them: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null then.</summary>
public static class TransferTelemetry
{
    /// <summary>The ActivitySource's and the Meter's name, which an OpenTelemetry pipeline subscribes to.</summary>
    public const string Name = "TransferService";

    public static readonly ActivitySource Source = new(Name, typeof(TransferTelemetry).Assembly.GetName().Version?.ToString());

    // Span names.
    public const string QueueWait = "transfer.queue_wait";
    public const string Preprocess = "transfer.preprocess";
    public const string Inference = "transfer.inference";
    public const string JobRun = "transfer.job";
    public const string JobStage = "transfer.job.stage";
    public const string HeadStore = "transfer.head.store";

    // Attribute names.
    public const string Lane = "transfer.lane";
    public const string Priority = "transfer.priority";
    public const string Backbone = "transfer.backbone";
    public const string BatchSize = "transfer.batch.size";
    public const string JobId = "transfer.job.id";
    public const string JobKind = "transfer.job.kind";
    public const string JobState = "transfer.job.state";
    public const string JobAttempt = "transfer.job.attempt";
    public const string Stage = "transfer.job.stage";
    public const string Tenant = "transfer.tenant";
    public const string LossSplit = "transfer.loss.split";
}
