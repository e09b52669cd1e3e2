using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class SearchPlanTests
{
    [Fact]
    public void DefaultGrid_FewExamplesPerLabel_OnlyLinearHeads()
    {
        var grid = DefaultSearchGrid.Candidates([30, 200]);

        Assert.Equal(9, grid.Count);
        Assert.All(grid, c => Assert.Equal(HeadArchitecture.Linear, c.Architecture));
        // One run trains them all: they differ only in learning rate and weight decay.
        Assert.All(grid, c => Assert.True(TrainingConfigs.Stackable(grid[0], c)));
        Assert.All(grid, c => TrainingConfigValidator.Validate(c));
    }

    [Fact]
    public void DefaultGrid_FiftyExamplesPerLabel_AddsAnMlpHead()
    {
        var grid = DefaultSearchGrid.Candidates([50, 60]);

        Assert.Equal(1, grid.Count(c => c.Architecture == HeadArchitecture.Mlp));
        Assert.False(TrainingConfigs.Stackable(grid[0], grid.Single(c => c.Architecture == HeadArchitecture.Mlp)));
        Assert.All(grid, c => Assert.True(c.EarlyStoppingPatience > 0));
    }

    [Fact]
    public void MetricWarnings_LabelUnderTenValidationRows_NamesItAndItsCount()
    {
        var warning = Assert.Single(MetricWarnings.For([.. Enumerable.Repeat(0, 10), 1, 1, 1], ["ham", "spam"]));

        Assert.Contains("'spam' has 3", warning);
        Assert.DoesNotContain("'ham'", warning);
    }

    [Fact]
    public void MetricWarnings_EnoughValidationRows_None() =>
        Assert.Empty(MetricWarnings.For([.. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(1, 10)], ["ham", "spam"]));
}
