using Google.Protobuf;
using Onnx;

namespace TransferService.Tests.Infrastructure;

/// <summary>An image backbone whose embedding is its input: a 2×2 model that flattens the planar [N,3,2,2]
/// tensor to [N,12], so a test reads back exactly the pixel values the preprocessing produced (R plane, G, B).</summary>
public static class PixelEchoBackbone
{
    public static string Manifest(string backgroundField = "") => $$"""
        { "modality": "image", "output": "y", "dimension": 12,
          "image": { "input": "x", "width": 2, "height": 2{{backgroundField}} } }
        """;

    public static void Create(string repository, string name, string manifest)
    {
        var folder = Path.Combine(repository, name);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), BuildModel().ToByteArray());
        File.WriteAllText(Path.Combine(folder, "backbone.json"), manifest);
    }

    private static ModelProto BuildModel()
    {
        var graph = new GraphProto { Name = "pixel-echo" };
        graph.Input.Add(FloatBatchValue.Of("x", 3, 2, 2));
        graph.Output.Add(FloatBatchValue.Of("y", 12));
        graph.Node.Add(new NodeProto { OpType = "Flatten", Input = { "x" }, Output = { "y" }, Attribute = { new AttributeProto { Name = "axis", I = 1, Type = AttributeProto.Types.AttributeType.Int } } });
        return new ModelProto { IrVersion = 8, Graph = graph, OpsetImport = { new OperatorSetIdProto { Version = 17 } } };
    }
}
