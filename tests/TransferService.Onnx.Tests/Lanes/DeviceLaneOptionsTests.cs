using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Tests.Lanes;

public sealed class DeviceLaneOptionsTests
{
    private static DeviceLane Lane(LaneOptions options) => new("cpu", options with { Devices = "cpu" }, NullLogger.Instance);

    [Fact]
    public void CreateSessionOptions_WithoutThreads_TakesTheLanesBackboneThreads()
    {
        using var options = Lane(new LaneOptions { CpuThreads = 2 }).CreateSessionOptions();
        Assert.Equal(2, options.IntraOpNumThreads);
    }

    [Fact]
    public void CreateSessionOptions_HeadThreads_OverrideTheBackboneThreads()
    {
        var lane = Lane(new LaneOptions { CpuThreads = 2 });
        using var options = lane.CreateSessionOptions(lane.Options.HeadCpuThreads);
        Assert.Equal(1, options.IntraOpNumThreads);
    }

    [Fact]
    public void CreateSessionOptions_ZeroThreads_LeavesOnnxRuntimeItsDefault()
    {
        using var options = Lane(new LaneOptions { CpuThreads = 2, HeadCpuThreads = 0 }).CreateSessionOptions(0);
        Assert.Equal(0, options.IntraOpNumThreads);
    }
}
