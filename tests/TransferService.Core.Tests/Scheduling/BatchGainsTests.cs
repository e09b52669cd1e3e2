using TransferService.Core.Scheduling;

namespace TransferService.Core.Tests.Scheduling;

public sealed class BatchGainsTests
{
    [Fact]
    public void Cap_NothingMeasured_IsTheMaxBatch()
    {
        Assert.Equal(32, new BatchGains(32).Cap);
    }

    [Fact]
    public void Cap_OnlySingleItemsMeasured_ProbesBatchesOfTwo()
    {
        var gains = new BatchGains(32);
        gains.Ran(1, 0, 0.010);

        Assert.Equal(2, gains.Cap);
    }

    [Fact]
    public void Cap_PerItemTimeFallsWithEverySize_IsTheMaxBatch()
    {
        var gains = new BatchGains(32);
        // A GPU-like device: 10 ms for one item, 1 ms more per extra item.
        foreach (var items in new[] { 1, 2, 4, 8, 16, 32 }) gains.Ran(items, 0, 0.010 + 0.001 * (items - 1));

        Assert.Equal(32, gains.Cap);
    }

    [Fact]
    public void Cap_BatchesOfFourSlowerPerItemThanTwo_StopsBelowFour()
    {
        var gains = new BatchGains(32);
        gains.Ran(1, 0, 0.010);   // 10 ms an item
        gains.Ran(2, 0, 0.012);   // 6 ms an item
        gains.Ran(4, 0, 0.032);   // 8 ms an item: gains stop at 2-3

        Assert.Equal(3, gains.Cap);
    }

    [Fact]
    public void Cap_BiggerBatchSlowerByLessThanFivePercent_KeepsTheBiggerBatch()
    {
        var gains = new BatchGains(4);
        gains.Ran(1, 0, 0.010);
        gains.Ran(2, 0, 0.0208);  // 10.4 ms an item: noise, not a loss
        gains.Ran(4, 0, 0.0412);

        Assert.Equal(4, gains.Cap);
    }

    [Fact]
    public void Cap_TextBatchesFasterPerItemOnlyBecauseShorter_ComparedPerTokenSlotAndCappedAtOne()
    {
        var gains = new BatchGains(32);
        gains.Ran(1, 100, 0.010); // 0.1 ms a token slot
        gains.Ran(2, 50, 0.015);  // 7.5 ms an item, but 0.15 ms a token slot

        Assert.Equal(1, gains.Cap);
    }

    [Fact]
    public void Cap_EverySixteenthBatch_ProbesTheNextSizeAgain()
    {
        var gains = new BatchGains(32);
        gains.Ran(2, 0, 0.030);   // 15 ms an item
        var caps = new List<int>();
        for (var batch = 2; batch <= 16; batch++)
        {
            gains.Ran(1, 0, 0.010);
            caps.Add(gains.Cap);
        }

        Assert.Equal(Enumerable.Repeat(1, 14).Append(2), caps);
    }
    [Fact]
    public void Cap_ABiggerBatchSlowOnceThenAtItsUsualSpeed_GrowsAgainAtOnce()
    {
        var gains = new BatchGains(32);
        for (var i = 0; i < 3; i++) gains.Ran(1, 0, 0.001);
        // A GPU's first run of a new batch size: cuDNN builds its plans, half a second for two items.
        gains.Ran(2, 0, 0.5);
        Assert.Equal(1, gains.Cap);
        // The next batch of two runs as such a batch does, 0.6 ms an item: batches grow, and four are tried next.
        gains.Ran(2, 0, 0.0012);

        Assert.Equal(4, gains.Cap);
    }

    [Fact]
    public void Cap_ABiggerBatchSlowerPerItemInEveryRun_StaysSmaller()
    {
        var gains = new BatchGains(32);
        // Seven of each: fourteen batches, short of the sixteenth that probes the next size again.
        for (var i = 0; i < 7; i++)
        {
            gains.Ran(1, 0, 0.010);   // 10 ms an item
            gains.Ran(2, 0, 0.024);   // 12 ms an item, every time
        }

        Assert.Equal(1, gains.Cap);
    }
}
