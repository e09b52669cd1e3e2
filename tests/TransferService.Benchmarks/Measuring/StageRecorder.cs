using System.Collections.Concurrent;
using System.Diagnostics;
using TransferService.Core.Telemetry;

namespace TransferService.Benchmarks.Measuring;

/// <summary>Listens to the service's own spans (and ASP.NET Core's request span) while it is attached, keeping each
/// ended span's duration by name, so a row's time can be split into the stages of the path: the request as the server
/// sees it, preparing the input, waiting in the lane's queue, the model run.</summary>
internal sealed class StageRecorder : IDisposable
{
    /// <summary>ASP.NET Core's span of one request: from its headers to its last byte written.</summary>
    public const string Request = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private readonly ActivityListener _listener;
    private ConcurrentQueue<(string Name, double Ms, int Batch)> _ended = new();

    public StageRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is TransferTelemetry.Name or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _ended.Enqueue((activity.OperationName, activity.Duration.TotalMilliseconds,
                activity.GetTagItem(TransferTelemetry.BatchSize) is int batch ? batch : 0)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Forgets what was recorded so far (a warm-up's spans).</summary>
    public void Clear() => _ended = new ConcurrentQueue<(string, double, int)>();

    /// <summary>Per span name: their p50 and p90 in milliseconds, and the mean batch size the spans name (0 when they
    /// name none; an inference span is one caller's view of its batch, so this is the batch an item ran in).</summary>
    public IReadOnlyDictionary<string, (double P50, double P90, double Batch)> Summary() =>
        _ended.GroupBy(e => e.Name).ToDictionary(g => g.Key, g =>
        {
            var sorted = g.Select(e => e.Ms).Order().ToArray();
            return (sorted[(sorted.Length - 1) / 2], sorted[(int)Math.Ceiling(0.9 * sorted.Length) - 1], g.Average(e => e.Batch));
        });

    public void Dispose() => _listener.Dispose();
}
