using Google.Protobuf;
using Onnx;
using TransferService.Core.Backbones;

namespace TransferService.Onnx.Installation;

/// <summary>Builds the resnet18 backbone from Microsoft.ML.DnnImageFeaturizer.ResNet18: its preprocessing
/// graph (RGB→BGR, minus the per-pixel ImageNet mean image) is merged in front of the CNTK ResNet18 graph,
/// and the fixed batch dimension of 1 becomes symbolic. The merged model takes planar RGB 0–255 floats.</summary>
internal static class ResNet18Builtin
{
    public const string Name = "resnet18";
    public const string PreprocessFile = "ResNetPreprocess.onnx";
    public const string ModelFile = "ResNet18.onnx";
    private const string BatchDimension = "N";

    public static BackboneManifest Manifest => new()
    {
        Name = Name,
        Version = "microsoft.ml.dnnimagefeaturizer.resnet18-0.23.1",
        Modality = Modality.Image,
        Description = "ResNet18, ImageNet weights (CNTK export), 512-d global-average-pooled features",
        Output = "Pooling395_Output_0",
        Pooling = Pooling.None,
        Dimension = 512,
        MaxBatchSize = 32,
        Image = new ImageSpec { Input = "OriginalInput", Width = 224, Height = 224, ChannelOrder = "rgb" },
    };

    public static byte[] BuildModel(string packageFolder)
    {
        var preprocess = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(packageFolder, PreprocessFile)));
        var backbone = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(packageFolder, ModelFile)));
        var backboneInput = backbone.Graph.Input.Single(i => i.Name == "Input247");
        var preprocessOutput = preprocess.Graph.Output.Single().Name;

        var graph = backbone.Graph;
        foreach (var node in graph.Node)
            for (var i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == backboneInput.Name) node.Input[i] = preprocessOutput;
        graph.Input.Remove(backboneInput);
        graph.Input.Insert(0, preprocess.Graph.Input.Single());
        var merged = new List<NodeProto>(preprocess.Graph.Node);
        merged.AddRange(graph.Node);
        graph.Node.Clear();
        graph.Node.AddRange(merged);
        graph.Initializer.AddRange(preprocess.Graph.Initializer);
        graph.ValueInfo.Clear();

        MakeBatchSymbolic(graph.Input[0]);
        foreach (var output in graph.Output) MakeBatchSymbolic(output);
        return backbone.ToByteArray();
    }

    private static void MakeBatchSymbolic(ValueInfoProto value)
    {
        var batch = value.Type.TensorType.Shape.Dim[0];
        batch.ClearDimValue();
        batch.DimParam = BatchDimension;
    }
}
