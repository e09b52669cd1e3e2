using TransferService.Onnx.Sessions;

namespace TransferService.Onnx.Tests.Sessions;

public sealed class BatchBucketsTests
{
    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(20, new[] { 1, 2, 4, 8, 16, 20 })]
    [InlineData(32, new[] { 1, 2, 4, 8, 16, 32 })]
    [InlineData(100, new[] { 1, 2, 4, 8, 16, 32, 64, 96, 100 })]
    [InlineData(256, new[] { 1, 2, 4, 8, 16, 32, 64, 96, 128, 160, 192, 224, 256 })]
    public void Sizes_PowersOfTwoThenMultiplesOf32_EndingAtTheLargest(int largest, int[] expected) =>
        Assert.Equal(expected, new BatchBuckets(largest).Sizes);

    [Theory]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(256)]
    public void Fit_EveryCount_TheSmallestSizeThatHoldsIt_PaddingFewerRowsThanItHoldsAndFewerThan32(int largest)
    {
        var buckets = new BatchBuckets(largest);
        for (var count = 1; count <= largest; count++)
        {
            var rows = buckets.Fit(count);
            Assert.Equal(buckets.Sizes.First(s => s >= count), rows);
            Assert.True(rows - count < Math.Min(count, 32), $"{count} items padded to {rows}");
        }
    }
}
