using System.Diagnostics;

namespace TransferService.Benchmarks.Measuring;

/// <summary>A closed-loop load: each of N callers makes one call, waits for it, and makes the next, until the
/// time is up; calls in flight then finish and count. A warm-up phase, same shape, goes unrecorded.</summary>
internal static class ClosedLoop
{
    /// <param name="call">One call; gets a running sequence number (to pick an input) and returns the
    /// number of items it processed.</param>
    public static async Task<LoopResult> RunAsync(int callers, TimeSpan warmup, TimeSpan duration,
        Func<int, Task<int>> call)
    {
        await RunPhaseAsync(callers, warmup, call);
        return await RunPhaseAsync(callers, duration, call);
    }

    private static async Task<LoopResult> RunPhaseAsync(int callers, TimeSpan duration, Func<int, Task<int>> call)
    {
        var sequence = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            var items = 0L;
            do
            {
                var callStarted = Stopwatch.GetTimestamp();
                items += await call(Interlocked.Increment(ref sequence));
                latencies.Add(Stopwatch.GetElapsedTime(callStarted).TotalMilliseconds);
            }
            while (Stopwatch.GetTimestamp() < stopAt);
            return (latencies, items);
        })).ToArray();
        var results = await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new LoopResult(results.Sum(r => r.items), elapsed,
            LatencySummary.Of(results.SelectMany(r => r.latencies)), Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
    }
}

/// <summary>Items completed over the wall time it took, the latency of the calls that carried them, and the CPU time the
/// whole process used meanwhile (every thread: the service's, the in-process client's, ONNX Runtime's).</summary>
internal sealed record LoopResult(long Items, TimeSpan Elapsed, LatencySummary Latency, TimeSpan Cpu)
{
    public double ItemsPerSecond => Items / Elapsed.TotalSeconds;

    /// <summary>CPU milliseconds per item: the work an item cost, whether or not the loop kept every core busy.</summary>
    public double CpuMsPerItem => Cpu.TotalMilliseconds / Items;
}
