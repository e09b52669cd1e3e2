using TransferService.Cli.Output;
using TransferService.Contracts.V1;

namespace TransferService.Tests.Client;

/// <summary>How a job's progress reads on the console: epochs with or without validation, items with their rate and
/// time left while they are coming, and none of that once the job is done.</summary>
public sealed class JobTextTests
{
    [Fact]
    public void Progress_ItemsComing_ShowsRateAndTimeLeft()
    {
        var progress = new JobProgress { Stage = "extracting", ItemsDone = 1200, ItemsTotal = 5000, ItemsPerSecond = 340.4, EtaSeconds = 11.2 };

        Assert.Equal("extracting, 1200/5000 items, 340/s, 12 s left", JobText.Progress(progress));
    }

    [Fact]
    public void Progress_Done_LeavesTheRateOut()
    {
        var progress = new JobProgress { Stage = "done", Fraction = 1, ItemsDone = 5000, ItemsTotal = 5000, ItemsPerSecond = 340, EtaSeconds = 0 };

        Assert.Equal("done, 5000/5000 items", JobText.Progress(progress));
    }

    [Fact]
    public void Progress_EpochWithoutValidation_LeavesTheAccuracyOut()
    {
        var validated = new JobProgress { Stage = "training", Epoch = 3, TrainLoss = 0.25, ValidationAccuracy = 0.875 };
        var refit = new JobProgress { Stage = "training", Epoch = 3, TrainLoss = 0.25, ValidationAccuracy = double.NaN, ValidationLoss = double.NaN };

        Assert.Equal("training, epoch 3, loss 0.25, validation accuracy 87.5%", JobText.Progress(validated));
        Assert.Equal("training, epoch 3, loss 0.25", JobText.Progress(refit));
    }

    [Theory]
    [InlineData(0.2, "1 s")]
    [InlineData(89.5, "90 s")]
    [InlineData(90, "2 min")]
    [InlineData(5369, "89 min")]
    [InlineData(5400, "1 h 30 min")]
    [InlineData(14370, "4 h 0 min")]
    public void TimeLeft_Seconds_ReadsInTheLargestUsefulUnit(double seconds, string expected) =>
        Assert.Equal(expected, JobText.TimeLeft(seconds));
}
