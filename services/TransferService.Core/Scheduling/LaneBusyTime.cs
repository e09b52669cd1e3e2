namespace TransferService.Core.Scheduling;

/// <summary>How much of the time a lane runs work: in total, and as the fraction of the last completed window. A unit's
/// time is added when it ends, so a unit longer than the window counts whole in one window (the fraction is capped at 1).
/// Reading rolls the window too, so an idle lane reads 0 after one window, and several readers see the same value.</summary>
public sealed class LaneBusyTime(TimeProvider time, TimeSpan window)
{
    private readonly Lock _gate = new();
    private long _windowStart = time.GetTimestamp();
    private double _windowBusy;
    private double _fraction;
    private double _total;

    public double TotalSeconds
    {
        get { lock (_gate) return _total; }
    }

    public double Fraction
    {
        get
        {
            lock (_gate)
            {
                Roll();
                return _fraction;
            }
        }
    }

    internal void Add(double seconds)
    {
        lock (_gate)
        {
            Roll();
            _windowBusy += seconds;
            _total += seconds;
        }
    }

    private void Roll()
    {
        var elapsed = time.GetElapsedTime(_windowStart);
        if (elapsed < window) return;
        _fraction = Math.Min(1, _windowBusy / elapsed.TotalSeconds);
        _windowStart = time.GetTimestamp();
        _windowBusy = 0;
    }
}
