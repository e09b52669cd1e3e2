using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Onnx;
using TransferService.Core.Backbones;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Preprocessing;
using TransferService.Onnx.Sessions;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Tests.Graphs;

/// <summary>The pooling and L2 nodes follow the model's opset: from 18, ReduceMean and ReduceL2 take their axes as an
/// input, and a graph written with the attribute would not load.</summary>
public sealed class ServingGraphOpsetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("transfer-opset-").FullName;

    [Theory]
    [InlineData(13)]
    [InlineData(18)]
    public void Run_SpatialMeanWithL2InGraph_MeanOfEachChannelNormalised(long opset)
    {
        WriteIdentityModel(opset);
        var manifest = new BackboneManifest
        {
            Name = "identity", Modality = Modality.Tensor, Output = "y", Pooling = Pooling.SpatialMean, Dimension = 2,
            Normalize = true, Tensor = new TensorSpec { Input = "x", Shape = [2, 2, 2] },
        };
        using var session = new OnnxBackboneSession(manifest, _folder,
            new DeviceLane("cpu", new LaneOptions { Devices = "cpu", CpuThreads = 1 }, NullLogger.Instance), long.MaxValue);
        var embedding = new float[2];

        // Channel means 3 and 4: normalised, (0.6, 0.8).
        session.Run([new PreparedFloats([1, 2, 4, 5, 4, 4, 4, 4])], embedding, CancellationToken.None);

        Assert.True(session.InGraph);
        Assert.Equal(0.6f, embedding[0], 1e-6f);
        Assert.Equal(0.8f, embedding[1], 1e-6f);
    }

    private void WriteIdentityModel(long opset)
    {
        var graph = new GraphProto { Name = "identity" };
        graph.Input.Add(Value("x"));
        graph.Output.Add(Value("y"));
        graph.Node.Add(new NodeProto { OpType = "Identity", Input = { "x" }, Output = { "y" } });
        var model = new ModelProto { IrVersion = 8, Graph = graph, OpsetImport = { new OperatorSetIdProto { Version = opset } } };
        File.WriteAllBytes(Path.Combine(_folder, "model.onnx"), model.ToByteArray());
    }

    private static ValueInfoProto Value(string name)
    {
        var shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimParam = "N" } } };
        foreach (var d in new long[] { 2, 2, 2 }) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } } };
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
