using Google.Protobuf;
using Onnx;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Onnx.Graphs;
using TransferService.Onnx.Lanes;

namespace TransferService.Onnx.Sessions;

/// <summary>The model a lane's session runs for a backbone, made at load from the installed file: checked against the
/// manifest, rewritten for the in-graph data path when the lane uses it and the model allows it, and converted to
/// the manifest's precision. The file itself is never changed. <see cref="Bytes"/> is null when the session must open
/// the file at <see cref="Path"/> as it is.</summary>
internal sealed record ServingModel(byte[]? Bytes, string Path, bool InGraph, int ItemsPerRun)
{
    public static ServingModel Load(BackboneManifest manifest, string folder, DeviceLane lane, long maxModelBytes)
    {
        var path = BackboneFile.Resolve(folder, manifest.Model, "model", maxModelBytes);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Unloadable(manifest, $"it is not an ONNX model ({e.Message})", e);
        }
        if (model.Graph is null) throw Unloadable(manifest, "it has no graph", null);
        var contract = new ModelContract(model.Graph, manifest);
        // Weights in separate files are found relative to the model's path, which a model given as bytes has not.
        if (model.Graph.Initializer.Any(t => t.DataLocation == TensorProto.Types.DataLocation.External))
        {
            if (manifest.Precision != Precision.Fp32)
                throw new TransferException(ErrorCode.FailedPrecondition, "backbone.json: precision: a model with external weight files runs only in fp32", "precision");
            return new ServingModel(null, path, InGraph: false, contract.ItemsPerRun);
        }
        var inGraph = lane.Options.DataPath == DataPath.Graph && ServingGraph.Supports(manifest, ModelOpset.Of(model));
        if (inGraph) ServingGraph.Build(model, manifest);
        // On a CPU lane ONNX Runtime casts around the float16 nodes it has no CPU kernel for: it runs, slower than fp32.
        if (manifest.Precision == Precision.Fp16) Float16Conversion.Convert(model.Graph);
        return new ServingModel(model.ToByteArray(), path, inGraph, contract.ItemsPerRun);
    }

    /// <summary>The model is named by the manifest's path: the server's path to it is nobody else's business.</summary>
    public static TransferException Unloadable(BackboneManifest manifest, string reason, Exception? inner) =>
        new(ErrorCode.FailedPrecondition, $"backbone.json: model could not be loaded: {manifest.Model}: {reason}", "model", inner);
}
