using System.Collections.Concurrent;
using System.Diagnostics;

namespace TransferService.Benchmarks.Measuring;

/// <summary>Listens to the service's own spans (and ASP.NET Core's request span) while it is attached, keeping each
/// ended span's duration by name, so a row's time can be split into the stages of the path: the request as the server
/// sees it, preparing the input, waiting in the lane's queue, the model run.</summary>
internal sealed class StageRecorder : IDisposable
{
    /// <summary>ASP.NET Core's span of one request: from its headers to its last byte written.</summary>
    public const string Request = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private readonly ActivityListener _listener;
    private ConcurrentQueue<(string Name, double Ms)> _ended = new();

    public StageRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "TransferService" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _ended.Enqueue((activity.OperationName, activity.Duration.TotalMilliseconds)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Forgets what was recorded so far (a warm-up's spans).</summary>
    public void Clear() => _ended = new ConcurrentQueue<(string, double)>();

    /// <summary>Per span name: how many ended, and their p50 and p90 in milliseconds.</summary>
    public IReadOnlyDictionary<string, (int Count, double P50, double P90)> Summary() =>
        _ended.GroupBy(e => e.Name).ToDictionary(g => g.Key, g =>
        {
            var sorted = g.Select(e => e.Ms).Order().ToArray();
            return (sorted.Length, sorted[(sorted.Length - 1) / 2], sorted[(int)Math.Ceiling(0.9 * sorted.Length) - 1]);
        });

    public void Dispose() => _listener.Dispose();
}
