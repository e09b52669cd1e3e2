using TransferService.Onnx.Sessions;

namespace TransferService.Onnx.Tests.Sessions;

public sealed class OverlappedRunsTests
{
    [Fact]
    public void Run_SevenRuns_ExecutesInOrderEachFromTheSlotPackedForIt()
    {
        var packedRun = new int[OverlappedRuns.Slots];
        var busy = new int[OverlappedRuns.Slots];
        var executed = new List<int>();

        OverlappedRuns.Run(7, OverlappedRuns.Slots, (slot, run) =>
        {
            // A slot being executed must never be written: the run reading it would see the next run's inputs.
            Assert.Equal(0, Interlocked.Increment(ref busy[slot]) - 1);
            Thread.Sleep(5);
            packedRun[slot] = run;
            Interlocked.Decrement(ref busy[slot]);
        }, (slot, run, embeddings) =>
        {
            Assert.Equal(0, Interlocked.Increment(ref busy[slot]) - 1);
            Assert.Equal(run, packedRun[slot]);
            Thread.Sleep(5);
            embeddings[run] = run;
            executed.Add(run);
            Interlocked.Decrement(ref busy[slot]);
        }, new float[7]);

        Assert.Equal(Enumerable.Range(0, 7), executed);
    }

    [Fact]
    public void Run_SeveralRuns_PacksTheNextRunWhileOneExecutes()
    {
        var packStarted = Enumerable.Range(0, 5).Select(_ => new ManualResetEventSlim()).ToArray();
        var overlapped = new List<bool>();

        // Each execution waits for the next run's pack to begin: run one after the other, it would wait in vain.
        OverlappedRuns.Run(5, OverlappedRuns.Slots, (_, run) => packStarted[run].Set(),
            (_, run, _) => overlapped.Add(run + 1 == 5 || packStarted[run + 1].Wait(TimeSpan.FromSeconds(10))), []);

        Assert.Equal(Enumerable.Repeat(true, 5), overlapped);
    }

    [Fact]
    public void Run_ExecutionFails_WaitsForThePackInFlightThenThrows()
    {
        var packFinished = false;

        var error = Assert.Throws<InvalidOperationException>(() => OverlappedRuns.Run(3, OverlappedRuns.Slots, (_, run) =>
        {
            if (run == 1)
            {
                Thread.Sleep(100);
                packFinished = true;
            }
        }, (_, _, _) => throw new InvalidOperationException("device error"), []));

        Assert.Equal("device error", error.Message);
        Assert.True(packFinished);
    }
}
