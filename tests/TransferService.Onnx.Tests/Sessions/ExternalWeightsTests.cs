using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Onnx;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Preprocessing;
using TransferService.Onnx.Sessions;
using TransferService.Tests.Infrastructure;

namespace TransferService.Onnx.Tests.Sessions;

/// <summary>A model whose weights live in a file beside it is opened from its path (a model given as bytes has no
/// folder to find them in), on the host path; fp16 is refused for it, naming the field.</summary>
public sealed class ExternalWeightsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"transfer-external-{Guid.NewGuid():N}");

    [Fact]
    public void Run_WeightsInAnExternalFile_EmbedsWithThem()
    {
        var (manifest, folder) = CreateWithExternalWeights(TinyTensorBackbone.Manifest);
        using var session = new OnnxBackboneSession(manifest, folder, Lane(), long.MaxValue);
        float[] x = [1, 2, 3, 4];
        var embedding = new float[3];

        session.Run([new PreparedFloats(x)], embedding, CancellationToken.None);

        Assert.False(session.InGraph);
        Assert.Equal(TinyTensorBackbone.Expected(x), embedding);
    }

    [Fact]
    public void Load_Fp16WithExternalWeights_FailedPreconditionNamingPrecision()
    {
        var (manifest, folder) = CreateWithExternalWeights(TinyTensorBackbone.Manifest.Replace("\"version\": \"7\",", "\"version\": \"7\", \"precision\": \"fp16\","));

        var error = Assert.Throws<TransferException>(() => new OnnxBackboneSession(manifest, folder, Lane(), long.MaxValue));

        Assert.Equal(ErrorCode.FailedPrecondition, error.Code);
        Assert.Equal("precision", error.Field);
    }

    private (BackboneManifest, string) CreateWithExternalWeights(string manifestJson)
    {
        var folder = TinyTensorBackbone.Create(_root, "tiny", manifestJson);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "model.onnx")));
        var weights = model.Graph.Initializer.Single();
        var bytes = MemoryMarshal.AsBytes(weights.FloatData.ToArray().AsSpan()).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), bytes);
        weights.FloatData.Clear();
        weights.DataLocation = TensorProto.Types.DataLocation.External;
        weights.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        weights.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString() });
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), model.ToByteArray());
        return (BackboneManifestReader.Read(folder), folder);
    }

    private static DeviceLane Lane() => new("cpu", new LaneOptions { Devices = "cpu", CpuThreads = 1 }, NullLogger.Instance);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
