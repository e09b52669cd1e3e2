using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Tests.Training;

/// <summary>One CPU lane with its scheduler, shared by the training tests (kept for the whole test run).</summary>
internal static class TestLanes
{
    public static readonly DeviceLaneSet Lanes = new(new LaneOptions { Devices = "cpu", CpuThreads = 2 }, NullLoggerFactory.Instance);

    public static readonly LaneSchedulers Schedulers =
        new(["cpu"], new SchedulingOptions(), TimeSpan.FromMilliseconds(2), TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>Whose work the tests' training and scoring is.</summary>
    public static readonly WorkTag Tag = new("tests", Priority.Normal);
}
