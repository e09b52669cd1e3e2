using TransferService.Core.Errors;
using TransferService.Core.Placement;

namespace TransferService.Core.Tests.Placement;

public sealed class LanePlacementTests
{
    private sealed record Copy(string Backbone, string Lane, long FootprintBytes, int QueuedItems, long LastUsed) : ILaneResident;

    /// <summary>Four lanes of 100 bytes each.</summary>
    private static readonly LanePlacement Policy = new(new PlacementOptions
    {
        Lanes = [new("cuda:0", 100), new("cuda:1", 100), new("cuda:2", 100), new("cuda:3", 100)],
        SpreadQueuedBatches = 2,
    });

    [Fact]
    public void PickServing_TwoCopies_TheOneOnTheLaneWithFewestItemsOfAnyBackbone()
    {
        var a0 = new Copy("a", "cuda:0", 10, QueuedItems: 3, LastUsed: 1);
        var a1 = new Copy("a", "cuda:1", 10, QueuedItems: 1, LastUsed: 1);
        var other = new Copy("b", "cuda:1", 10, QueuedItems: 5, LastUsed: 1);

        var picked = Policy.PickServing([a0, a1], [a0, a1, other]);

        Assert.Same(a0, picked);
    }

    [Fact]
    public void PickServing_EqualLoad_LeastRecentlyUsedCopy()
    {
        var a0 = new Copy("a", "cuda:0", 10, 0, LastUsed: 20);
        var a1 = new Copy("a", "cuda:1", 10, 0, LastUsed: 10);
        var a2 = new Copy("a", "cuda:2", 10, 0, LastUsed: 30);

        Assert.Same(a1, Policy.PickServing([a0, a1, a2], [a0, a1, a2]));
    }

    [Fact]
    public void PlanLoad_FreeRoomOnSeveralLanes_LeastLoadedOfThemWithoutEvicting()
    {
        var residents = new[]
        {
            new Copy("a", "cuda:0", 90, 0, 1),                 // no room
            new Copy("b", "cuda:1", 40, QueuedItems: 7, 2),
            new Copy("c", "cuda:2", 40, QueuedItems: 2, 3),    // room and least loaded
            new Copy("d", "cuda:3", 40, QueuedItems: 4, 4),
        };

        var plan = Policy.PlanLoad("e", 60, residents, "backbone");

        Assert.Equal("cuda:2", plan.Lane);
        Assert.Empty(plan.Evict);
    }

    [Fact]
    public void LanesWithRoom_BudgetCountsEveryCopyOnTheLane_OnlyLanesWhereItFitsAndThatDoNotHoldIt()
    {
        var residents = new[]
        {
            new Copy("a", "cuda:0", 30, 0, 1), new Copy("b", "cuda:0", 30, 0, 2),   // 40 free
            new Copy("a", "cuda:1", 30, 0, 3),                                       // 70 free
            new Copy("c", "cuda:2", 50, 0, 4),                                       // 50 free
        };

        Assert.Equal(["cuda:1", "cuda:2", "cuda:3"], Policy.LanesWithRoom("z", 50, residents));
        Assert.Equal(["cuda:2", "cuda:3"], Policy.LanesWithRoom("a", 40, residents));
    }

    [Fact]
    public void PlanLoad_NoFreeRoom_EvictsIdleCopiesLeastRecentlyUsedFirstAndNoMoreThanNeeded()
    {
        var residents = new[]
        {
            new Copy("x0", "cuda:0", 100, QueuedItems: 1, 0), new Copy("x1", "cuda:1", 100, QueuedItems: 1, 0),
            new Copy("x3", "cuda:3", 100, QueuedItems: 1, 0),
            new Copy("new", "cuda:2", 40, 0, LastUsed: 9), new Copy("old", "cuda:2", 30, 0, LastUsed: 5),
            new Copy("mid", "cuda:2", 30, 0, LastUsed: 7),
        };

        var plan = Policy.PlanLoad("e", 50, residents, "backbone");

        Assert.Equal("cuda:2", plan.Lane);
        Assert.Equal(["old", "mid"], plan.Evict.Select(r => r.Backbone));
    }

    [Fact]
    public void PlanLoad_LeastRecentlyUsedCopyIsBusy_EvictsTheIdleOneInstead()
    {
        var busy = new Copy("busy", "cuda:0", 60, QueuedItems: 1, LastUsed: 1);
        var idle = new Copy("idle", "cuda:0", 40, 0, LastUsed: 9);
        var others = Enumerable.Range(1, 3).Select(i => new Copy($"x{i}", $"cuda:{i}", 100, QueuedItems: 1, 0));
        var residents = others.Cast<ILaneResident>().Append(busy).Append(idle).ToArray();

        var plan = Policy.PlanLoad("e", 40, residents, "backbone");

        Assert.Equal("cuda:0", plan.Lane);
        Assert.Equal(["idle"], plan.Evict.Select(r => r.Backbone));
    }

    [Fact]
    public void PlanLoad_EveryLaneHeldByBusyCopies_ResourceExhaustedNamingTheField()
    {
        var residents = Enumerable.Range(0, 4).Select(i => (ILaneResident)new Copy($"x{i}", $"cuda:{i}", 80, QueuedItems: 2, i)).ToArray();

        var error = Assert.Throws<TransferException>(() => Policy.PlanLoad("e", 50, residents, "backbone"));

        Assert.Equal((ErrorCode.ResourceExhausted, "backbone"), (error.Code, error.Field));
    }

    [Fact]
    public void PlanLoad_BiggerThanEveryLaneBudget_ResourceExhaustedSayingSo()
    {
        var error = Assert.Throws<TransferException>(() => Policy.PlanLoad("huge", 101, [], "name"));

        Assert.Equal((ErrorCode.ResourceExhausted, "name"), (error.Code, error.Field));
        Assert.Contains("largest lane budget is 100", error.Message);
    }

    [Fact]
    public void SpreadTarget_ServingLaneBackedUpAndAnotherLaneHasRoom_ThatLaneLeastLoadedFirst()
    {
        var serving = new Copy("a", "cuda:0", 50, QueuedItems: 64, 1);
        var residents = new ILaneResident[]
        {
            serving,
            new Copy("b", "cuda:1", 80, 0, 2),                  // no room
            new Copy("c", "cuda:2", 10, QueuedItems: 9, 3),
            new Copy("d", "cuda:3", 10, QueuedItems: 4, 4),
        };

        Assert.Equal("cuda:3", Policy.SpreadTarget(serving, maxBatchSize: 32, residents));
    }

    [Fact]
    public void SpreadTarget_UnderTwoBatchesQueued_NoSpread()
    {
        var serving = new Copy("a", "cuda:0", 50, QueuedItems: 63, 1);

        Assert.Null(Policy.SpreadTarget(serving, maxBatchSize: 32, [serving]));
    }

    [Fact]
    public void SpreadTarget_OtherLanesFullOfIdleCopies_NoSpreadBecauseASpreadNeverEvicts()
    {
        var serving = new Copy("a", "cuda:0", 50, QueuedItems: 500, 1);
        var residents = Enumerable.Range(1, 3).Select(i => (ILaneResident)new Copy($"x{i}", $"cuda:{i}", 100, 0, 0)).Append(serving).ToArray();

        Assert.Null(Policy.SpreadTarget(serving, maxBatchSize: 32, residents));
    }
}
