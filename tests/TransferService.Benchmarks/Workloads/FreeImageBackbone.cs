using Google.Protobuf;
using Onnx;
using TransferService.Tests.Infrastructure;

namespace TransferService.Benchmarks.Workloads;

/// <summary>An image backbone that costs next to nothing: 224×224 RGB in, the mean of each channel out (one pass over
/// the pixels). Served, it leaves the service's own work per image to be measured: the RPC, the input's checks and
/// preparation, the queue, the batch's packing and the answer. Its input has the built-in resnet18's name, so
/// <see cref="ResNet18Workload"/>'s bare batches feed it too.</summary>
internal static class FreeImageBackbone
{
    public const string Name = "free-image";
    public const string Output = "channel_means";

    /// <summary>Writes the model and its manifest under <paramref name="dataFolder"/>'s model repository (again each run:
    /// the files are small).</summary>
    public static void Install(string dataFolder, int maxBatchSize)
    {
        var folder = Path.Combine(dataFolder, "models", Name);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), Model().ToByteArray());
        File.WriteAllText(Path.Combine(folder, "backbone.json"), $$"""
            { "modality": "image", "output": "{{Output}}", "pooling": "none", "dimension": 3, "normalize": false,
              "maxBatchSize": {{maxBatchSize}},
              "image": { "input": "OriginalInput", "width": 224, "height": 224, "scale": 1, "mean": [0, 0, 0], "std": [1, 1, 1] } }
            """);
    }

    public static string ModelFile(string dataFolder) => Path.Combine(dataFolder, "models", Name, "model.onnx");

    private static ModelProto Model()
    {
        var graph = new GraphProto { Name = Name };
        graph.Input.Add(FloatBatchValue.Of("OriginalInput", 3, 224, 224));
        graph.Output.Add(FloatBatchValue.Of(Output, 3));
        graph.Node.Add(new NodeProto
        {
            OpType = "ReduceMean", Input = { "OriginalInput" }, Output = { Output },
            Attribute =
            {
                new AttributeProto { Name = "axes", Ints = { 2, 3 }, Type = AttributeProto.Types.AttributeType.Ints },
                new AttributeProto { Name = "keepdims", I = 0, Type = AttributeProto.Types.AttributeType.Int },
            },
        });
        return new ModelProto { IrVersion = 8, Graph = graph, OpsetImport = { new OperatorSetIdProto { Version = 17 } } };
    }
}
