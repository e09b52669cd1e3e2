using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Scheduling;

/// <summary>The registration that drops queued work when its token fires is made after the work is queued, so the lane
/// may take the work first; it must not outlive the work either way (a stream's token lives as long as the stream).</summary>
public sealed class LaneWorkRegistrationTests
{
    private sealed class Work(CancellationToken token) : LaneWork(WorkTag.Interactive("t"), token)
    {
        internal override void Abandon(Exception? error) { }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Taken_BeforeOrAfterTheRegistration_TheTokenNoLongerReachesTheWork(bool takenFirst)
    {
        using var source = new CancellationTokenSource();
        var work = new Work(source.Token);
        var dropped = 0;
        CancellationTokenRegistration Register() => source.Token.UnsafeRegister(_ => dropped++, null);

        if (takenFirst)
        {
            work.Taken();
            work.Registered(Register());
        }
        else
        {
            work.Registered(Register());
            work.Taken();
        }
        source.Cancel();

        Assert.Equal(0, dropped);
    }

    [Fact]
    public void Registered_NotTaken_TheTokenDropsTheWork()
    {
        using var source = new CancellationTokenSource();
        var work = new Work(source.Token);
        var dropped = 0;

        work.Registered(source.Token.UnsafeRegister(_ => dropped++, null));
        source.Cancel();

        Assert.Equal(1, dropped);
    }
}
