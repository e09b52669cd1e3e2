using Google.Protobuf;
using Onnx;
using TransferService.Core.Backbones;
using TransferService.Core.Heads;
using TransferService.Core.Storage;
using TransferService.Onnx.Graphs;
using TransferService.Onnx.Training;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Export;

/// <summary>Merges backbone, pooling and head into one ONNX model whose only output is the head's calibrated
/// probabilities [N,C], with the labels and preprocessing in its metadata (<see cref="ExportMetadata"/>). The
/// head's nodes use only operators whose meaning is the same from opset 8 on (Gemm, Relu, Div, Softmax over
/// axis 1 of a 2-D tensor), so they run at the backbone's opset.</summary>
public sealed class OnnxHeadExporter : IHeadExporter
{
    public const string OutputName = "probabilities";

    public ExportedModel Export(HeadRecord head, BackboneManifest backbone, string backboneFolder)
    {
        var model = ReadModel(backbone, backboneFolder);
        var opset = ModelOpset.Of(model);
        var graph = new OnnxGraph(model.Graph, DataType.Float, "export_");
        var pooled = ExportPooling.Append(graph, backbone, opset);
        var probabilities = HeadGraphBuilder.AppendInference(model.Graph, pooled, head.Weights, head.Temperature, "head_");
        graph.NodeTo("Identity", [probabilities], OutputName);

        model.Graph.Output.Clear();
        graph.Output(OutputName, DataType.Float);
        model.Graph.ValueInfo.Clear();
        model.ProducerName = "TransferService";
        model.DocString = $"{head.Name} v{head.Version} on {backbone.Name} {backbone.Version}; labels: {string.Join(", ", head.Labels)}";
        ExportMetadata.Write(model, head, backbone, backboneFolder);
        var inputs = model.Graph.Input.Select(i => i.Name).Except(model.Graph.Initializer.Select(i => i.Name)).ToArray();
        return new ExportedModel(model.ToByteArray(), inputs, OutputName);
    }

    /// <summary>The backbone's model; FailedPrecondition on the request's head when the file is missing, unreadable, not
    /// an ONNX model, or over the 2 GB a single protobuf message can hold (weights in external files are fine).</summary>
    private static ModelProto ReadModel(BackboneManifest backbone, string backboneFolder)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(backboneFolder, backbone.Model)));
        }
        catch (Exception e) when (StoredData.IsStorageFailure(e))
        {
            throw StoredData.Damaged($"backbone {backbone.Name}", backbone.Model, "head", e);
        }
    }
}
