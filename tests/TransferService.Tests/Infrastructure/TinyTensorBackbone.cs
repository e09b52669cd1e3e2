using Google.Protobuf;
using Onnx;

namespace TransferService.Tests.Infrastructure;

/// <summary>A user backbone written the way a user would: a folder with model.onnx and backbone.json.
/// The model is y = x·W for x [N,4], W [4,3]; its embeddings are checked against that product.</summary>
public static class TinyTensorBackbone
{
    public static readonly float[] Weights = [1, 0, 2, 0, 1, -1, 3, 1, 0, -2, 0.5f, 1];

    public const string Manifest = """
        {
          "version": "7",
          "modality": "tensor",
          "description": "tiny test backbone",
          "output": "y",
          "dimension": 3,
          "maxBatchSize": 64,
          "tensor": { "input": "x", "shape": [4] }
        }
        """;

    /// <summary>Writes the folder. <paramref name="paddingBytes"/> pads the model file with a doc string of that many
    /// bytes (the model is unchanged), so its estimated footprint is as large as a test needs.</summary>
    public static string Create(string repository, string name, string manifest = Manifest, int paddingBytes = 0)
    {
        var folder = Path.Combine(repository, name);
        Directory.CreateDirectory(folder);
        var model = BuildModel();
        if (paddingBytes > 0) model.DocString = new string('x', paddingBytes);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), model.ToByteArray());
        File.WriteAllText(Path.Combine(folder, "backbone.json"), manifest);
        return folder;
    }

    public static float[] Expected(float[] x)
    {
        var y = new float[3];
        for (var j = 0; j < 3; j++)
            for (var i = 0; i < 4; i++) y[j] += x[i] * Weights[i * 3 + j];
        return y;
    }

    private static ModelProto BuildModel()
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(FloatBatchValue.Of("x", 4));
        graph.Output.Add(FloatBatchValue.Of("y", 3));
        var weights = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 4, 3 } };
        weights.FloatData.AddRange(Weights);
        graph.Initializer.Add(weights);
        graph.Node.Add(new NodeProto { OpType = "MatMul", Input = { "x", "W" }, Output = { "y" } });
        return new ModelProto { IrVersion = 8, Graph = graph, OpsetImport = { new OperatorSetIdProto { Version = 17 } } };
    }
}
