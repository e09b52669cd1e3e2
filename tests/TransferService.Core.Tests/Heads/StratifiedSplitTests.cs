using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class StratifiedSplitTests
{
    [Fact]
    public void Split_KeepsEachLabelsShareAndIsDeterministic()
    {
        var labels = Enumerable.Repeat(0, 50).Concat(Enumerable.Repeat(1, 30)).Concat(Enumerable.Repeat(2, 20)).ToArray();

        var (train, validation) = StratifiedSplit.Split(labels, 0.2f, seed: 4);

        Assert.Equal([10, 6, 4], Enumerable.Range(0, 3).Select(c => validation.Count(i => labels[i] == c)));
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(100, train.Length + validation.Length);
        Assert.Equal(validation, StratifiedSplit.Split(labels, 0.2f, seed: 4).Validation);
        Assert.NotEqual(validation, StratifiedSplit.Split(labels, 0.2f, seed: 5).Validation);
    }

    [Theory]
    [InlineData(1, 0.2f, 0)]
    [InlineData(2, 0.2f, 1)]
    [InlineData(2, 0.9f, 2)]
    [InlineData(10, 0.25f, 3)]
    public void HeldOut_PerLabel(int count, float fraction, int expected) =>
        Assert.Equal(expected, StratifiedSplit.HeldOut(count, fraction));
}
