using Microsoft.Extensions.Time.Testing;
using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Scheduling;

/// <summary>The adaptive batch window's decisions on a virtual clock: a 10 ms window, arrivals at chosen gaps, meeting
/// work on the lane (several callers) unless a test says otherwise.</summary>
public sealed class BatchWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly ArrivalRate _arrivals = new();

    /// <summary>Items arriving <paramref name="gapMs"/> apart; returns the last one's arrival.</summary>
    private long Arrive(int count, double gapMs, bool laneHadWork = true)
    {
        var last = 0L;
        for (var i = 0; i < count; i++)
        {
            if (i > 0) _time.Advance(TimeSpan.FromMilliseconds(gapMs));
            last = _time.GetTimestamp();
            _arrivals.Arrived(last, _time, Window, laneHadWork);
        }
        return last;
    }

    private TimeSpan Wait(long firstArrival) => new BatchWindow(Window, _time).Wait(_arrivals, firstArrival);

    [Fact]
    public void Wait_FirstItemEver_RunsAtOnce()
    {
        Assert.Equal(TimeSpan.Zero, Wait(Arrive(1, 0)));
    }

    [Fact]
    public void Wait_CallersSlowerThanTheWindow_RunsAtOnce()
    {
        // One closed-loop caller: the next item comes only after this one's answer, 30 ms later.
        Assert.Equal(TimeSpan.Zero, Wait(Arrive(8, 30)));
    }

    [Fact]
    public void Wait_ArrivalsOneMillisecondApart_WaitsForTheRestOfTheWindow()
    {
        var first = Arrive(8, 1);
        _time.Advance(TimeSpan.FromMilliseconds(3));

        Assert.Equal(TimeSpan.FromMilliseconds(7), Wait(first));
    }

    [Fact]
    public void Wait_WindowAlreadyOver_RunsAtOnce()
    {
        var first = Arrive(8, 1);
        _time.Advance(Window);

        Assert.Equal(TimeSpan.Zero, Wait(first));
    }

    [Fact]
    public void Wait_ZeroWindow_NeverWaits()
    {
        var first = Arrive(8, 0.1);

        Assert.Equal(TimeSpan.Zero, new BatchWindow(TimeSpan.Zero, _time).Wait(_arrivals, first));
    }

    [Fact]
    public void Wait_BurstAfterALongRun_FirstItemStillWaitsForTheRest()
    {
        // Closed-loop callers whose batch took a second come back together: one long gap must not hide the burst.
        Arrive(8, 0.1);
        _time.Advance(TimeSpan.FromSeconds(1));
        var first = _time.GetTimestamp();
        _arrivals.Arrived(first, _time, Window, laneHadWork: false);

        Assert.Equal(Window, Wait(first));
    }

    [Fact]
    public void Wait_OneFastCallerAtATime_RunsAtOnce()
    {
        // One closed-loop caller of a fast model: its items come 1 ms apart, but each only after the last one's answer,
        // so every one finds the lane idle and no second item can join it.
        Assert.Equal(TimeSpan.Zero, Wait(Arrive(32, 1, laneHadWork: false)));
    }

    [Fact]
    public void Wait_OneArrivalMeetsWork_WaitsAgainUntilTheOverlapIsForgotten()
    {
        Arrive(32, 1, laneHadWork: false);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _arrivals.Arrived(_time.GetTimestamp(), _time, Window, laneHadWork: true);

        var waits = new List<bool>();
        for (var i = 0; i < ArrivalRate.OverlapMemory + 2; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            var arrival = _time.GetTimestamp();
            _arrivals.Arrived(arrival, _time, Window, laneHadWork: false);
            waits.Add(Wait(arrival) > TimeSpan.Zero);
        }

        // The overlap counts for the next OverlapMemory − 1 idle arrivals, then no more.
        Assert.Equal(Enumerable.Range(0, ArrivalRate.OverlapMemory + 2).Select(i => i < ArrivalRate.OverlapMemory - 1), waits);
    }
}
