using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class ReliabilityTests
{
    [Fact]
    public void Table_KnownPredictions_GivesHandComputedBinsAndCalibrationError()
    {
        // Tops: 0.95 right, 0.95 wrong, 0.65 right, 0.55 wrong (two classes).
        float[] probabilities = [.95f, .05f, .95f, .05f, .35f, .65f, .55f, .45f];
        int[] labels = [0, 1, 1, 1];

        var table = Reliability.Table(probabilities, labels, 2);

        Assert.Equal([(0.5, 1), (0.6, 1), (0.9, 2)], table.Select(b => (Math.Round(b.Lower, 6), b.Count)));
        Assert.Equal([0.0, 1.0, 0.5], table.Select(b => b.Accuracy));
        Assert.Equal(0.95, table[2].MeanConfidence, 6);
        // (1·|0 − .55| + 1·|1 − .65| + 2·|.5 − .95|) / 4
        Assert.Equal((0.55 + 0.35 + 0.9) / 4, Reliability.ExpectedCalibrationError(table), 6);
    }

    [Fact]
    public void ExpectedCalibrationError_NoRows_IsNaN() =>
        Assert.True(double.IsNaN(Reliability.ExpectedCalibrationError(Reliability.Table([], [], 2))));
}
