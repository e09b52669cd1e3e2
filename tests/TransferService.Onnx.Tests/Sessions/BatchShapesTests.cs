using TransferService.Onnx.Sessions;

namespace TransferService.Onnx.Tests.Sessions;

public sealed class BatchShapesTests
{
    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(5, new[] { 1, 5 })]
    [InlineData(32, new[] { 1, 8, 16, 32 })]
    [InlineData(100, new[] { 1, 8, 16, 32, 64, 100 })]
    [InlineData(256, new[] { 1, 8, 16, 32, 64, 128, 256 })]
    public void For_OneThenPowersOfTwoFromEight_EndingAtTheLargest(int largest, int[] expected) =>
        Assert.Equal(expected, BatchShapes.For(largest));

    [Theory]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(256)]
    public void Fit_EveryCount_TheSmallestSizeThatHoldsIt_PastEightPaddingFewerRowsThanItHolds(int largest)
    {
        var sizes = BatchShapes.For(largest);
        for (var count = 1; count <= largest; count++)
        {
            var rows = sizes[BatchShapes.Fit(sizes, count)];
            Assert.Equal(sizes.First(s => s >= count), rows);
            if (count > 8) Assert.True(rows - count < count, $"{count} items padded to {rows}");
        }
    }
}
