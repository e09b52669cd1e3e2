namespace TransferService.Core.Scheduling;

/// <summary>How closely one source's items have been arriving: a moving average of the gaps between arrivals, each gap
/// counted as at most twice the batch window. The cap keeps one idle spell from hiding a burst: closed-loop callers whose
/// batch just finished come back together after a long gap, and their first item should wait for the rest. Not
/// thread-safe: the lane's lock guards it.</summary>
internal sealed class ArrivalRate
{
    private const double Weight = 0.25;
    private long _last;
    private double _gapSeconds = double.PositiveInfinity;

    /// <summary>The expected gap to the next arrival; infinite until two items have arrived.</summary>
    public TimeSpan ExpectedGap => double.IsPositiveInfinity(_gapSeconds) ? TimeSpan.MaxValue : TimeSpan.FromSeconds(_gapSeconds);

    public void Arrived(long timestamp, TimeProvider time, TimeSpan window)
    {
        if (_last != 0)
        {
            var gap = Math.Min(time.GetElapsedTime(_last, timestamp).TotalSeconds, 2 * window.TotalSeconds);
            _gapSeconds = double.IsPositiveInfinity(_gapSeconds) ? gap : (1 - Weight) * _gapSeconds + Weight * gap;
        }
        _last = timestamp;
    }
}
