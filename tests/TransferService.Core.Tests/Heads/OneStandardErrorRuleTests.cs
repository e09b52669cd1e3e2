using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class OneStandardErrorRuleTests
{
    [Fact]
    public void SimplerIsWithin_DifferenceSmallerThanItsNoise_KeepsTheSimplerHead()
    {
        // Per-row differences of +0.3 and −0.28 alternating: mean 0.01, standard error ~0.03.
        var better = Enumerable.Repeat(0.5, 100).ToArray();
        var simpler = better.Select((b, i) => b + (i % 2 == 0 ? 0.3 : -0.28)).ToArray();
        Assert.True(OneStandardErrorRule.SimplerIsWithin(simpler, better));
    }

    [Fact]
    public void SimplerIsWithin_ConsistentlyWorse_KeepsTheBetterHead()
    {
        // Every row 0.05 worse, with a little spread: mean 0.05, standard error ~0.001.
        var better = Enumerable.Range(0, 100).Select(i => 0.4 + i % 7 * 0.01).ToArray();
        var simpler = better.Select((b, i) => b + 0.05 + (i % 3 - 1) * 0.01).ToArray();
        Assert.False(OneStandardErrorRule.SimplerIsWithin(simpler, better));
    }

    [Fact]
    public void SimplerIsWithin_SimplerScoredLower_KeepsTheSimplerHead()
    {
        var better = new[] { 0.5, 0.6, 0.7 };
        Assert.True(OneStandardErrorRule.SimplerIsWithin([0.4, 0.5, 0.6], better));
    }

    [Fact]
    public void SimplerIsWithin_OneRow_CannotTell()
    {
        Assert.False(OneStandardErrorRule.SimplerIsWithin([0.5], [0.4]));
    }
}
