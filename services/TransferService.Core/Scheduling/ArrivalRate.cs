namespace TransferService.Core.Scheduling;

/// <summary>How closely one source's items have been arriving: a moving average of the gaps between arrivals, each gap
/// counted as at most twice the batch window, and whether any of the recent ones came while the lane still had work
/// (queued or running). The cap keeps one idle spell from hiding a burst: closed-loop callers whose batch just finished
/// come back together after a long gap, and their first item should wait for the rest. The overlap tells one fast
/// caller from several: a lone closed-loop caller's items come close together yet never meet, since each comes only
/// after the last one's answer, so waiting for company would only add the window to every call. Not thread-safe: the
/// lane's lock guards it.</summary>
internal sealed class ArrivalRate
{
    /// <summary>How many arrivals in a row may find the lane idle before the source counts as one caller at a time.</summary>
    public const int OverlapMemory = 8;

    private const double Weight = 0.25;
    private long _last;
    private double _gapSeconds = double.PositiveInfinity;
    private int _sinceOverlap = OverlapMemory;

    /// <summary>The expected gap to the next arrival; infinite until two items have arrived.</summary>
    public TimeSpan ExpectedGap => double.IsPositiveInfinity(_gapSeconds) ? TimeSpan.MaxValue : TimeSpan.FromSeconds(_gapSeconds);

    /// <summary>Whether one of the last <see cref="OverlapMemory"/> arrivals came while the lane had work: items that
    /// can meet in a batch.</summary>
    public bool Overlapping => _sinceOverlap < OverlapMemory;

    /// <param name="laneHadWork">Whether the lane was running something, or had something queued, when it arrived.</param>
    public void Arrived(long timestamp, TimeProvider time, TimeSpan window, bool laneHadWork)
    {
        if (_last != 0)
        {
            var gap = Math.Min(time.GetElapsedTime(_last, timestamp).TotalSeconds, 2 * window.TotalSeconds);
            _gapSeconds = double.IsPositiveInfinity(_gapSeconds) ? gap : (1 - Weight) * _gapSeconds + Weight * gap;
        }
        _last = timestamp;
        _sinceOverlap = laneHadWork ? 0 : Math.Min(_sinceOverlap + 1, OverlapMemory);
    }
}
