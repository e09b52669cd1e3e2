using System.Collections.Concurrent;
using System.Diagnostics;
using TransferService.Core.Telemetry;

namespace TransferService.Benchmarks.Measuring;

/// <summary>Listens to the service's own spans (and ASP.NET Core's request span) while it is attached, keeping each
/// ended span, so a row's time can be split into the stages of the path: the request as the server sees it, preparing
/// the input, waiting in the lane's queue, the model run, and what the server does before the first stage and after
/// the last.</summary>
internal sealed class StageRecorder : IDisposable
{
    /// <summary>ASP.NET Core's span of one request: from its headers to its last byte written.</summary>
    public const string Request = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    /// <summary>From the request's start to its first stage's: reading the body, decoding the message, the handler's
    /// checks.</summary>
    public const string Before = "before the stages";

    /// <summary>From the request's last stage's end to its own: the answer's way back to the handler, and writing it.</summary>
    public const string After = "after the stages";

    private readonly ActivityListener _listener;
    private ConcurrentQueue<Span> _ended = new();

    private readonly record struct Span(string Name, ActivityTraceId Trace, DateTime Start, DateTime End, int Batch)
    {
        public double Ms => (End - Start).TotalMilliseconds;
    }

    public StageRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is TransferTelemetry.Name or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _ended.Enqueue(new Span(activity.OperationName, activity.TraceId, activity.StartTimeUtc,
                activity.StartTimeUtc + activity.Duration, activity.GetTagItem(TransferTelemetry.BatchSize) is int batch ? batch : 0)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Forgets what was recorded so far (a warm-up's spans).</summary>
    public void Clear() => _ended = new ConcurrentQueue<Span>();

    /// <summary>Per span name, and for <see cref="Before"/> and <see cref="After"/> (each call is a trace of its own: its
    /// request span and its stages): their p50 and p90 in milliseconds, and the mean batch size the spans name (0 when
    /// they name none; an inference span is one caller's view of its batch, so this is the batch an item ran in).</summary>
    public IReadOnlyDictionary<string, (double P50, double P90, double Batch)> Summary()
    {
        var spans = _ended.ToArray();
        var rows = spans.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => Percentiles(g.Select(s => s.Ms), g.Average(s => s.Batch)));
        var calls = spans.GroupBy(s => s.Trace)
            .Select(g => (Request: g.FirstOrDefault(s => s.Name == Request), Stages: g.Where(s => s.Name != Request).ToArray()))
            .Where(c => c.Request.Name is not null && c.Stages.Length > 0)
            .ToArray();
        if (calls.Length == 0) return rows;
        rows[Before] = Percentiles(calls.Select(c => (c.Stages.Min(s => s.Start) - c.Request.Start).TotalMilliseconds), 0);
        rows[After] = Percentiles(calls.Select(c => (c.Request.End - c.Stages.Max(s => s.End)).TotalMilliseconds), 0);
        return rows;
    }

    private static (double P50, double P90, double Batch) Percentiles(IEnumerable<double> values, double batch)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2], sorted[(int)Math.Ceiling(0.9 * sorted.Length) - 1], batch);
    }

    public void Dispose() => _listener.Dispose();
}
