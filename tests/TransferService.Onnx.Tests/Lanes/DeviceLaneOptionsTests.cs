using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Onnx;
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

    [Fact]
    public void CreateSessionOptions_SessionConfigEntries_ReachEverySession()
    {
        // An entry with an effect to observe: a session told to read the ORT format refuses an ONNX file.
        var told = Lane(new LaneOptions { SessionConfig = new() { ["session.load_model_format"] = "ORT" } });
        using var toldOptions = told.CreateSessionOptions();
        using var plainOptions = Lane(new LaneOptions()).CreateSessionOptions();

        Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(IdentityModel(), toldOptions).Dispose());
        new InferenceSession(IdentityModel(), plainOptions).Dispose();
    }

    private static byte[] IdentityModel()
    {
        var tensor = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } };
        return new ModelProto
        {
            IrVersion = 8,
            OpsetImport = { new OperatorSetIdProto { Version = 17 } },
            Graph = new GraphProto
            {
                Name = "identity",
                Node = { new NodeProto { OpType = "Identity", Input = { "x" }, Output = { "y" } } },
                Input = { new ValueInfoProto { Name = "x", Type = tensor } },
                Output = { new ValueInfoProto { Name = "y", Type = tensor } },
            },
        }.ToByteArray();
    }
}
