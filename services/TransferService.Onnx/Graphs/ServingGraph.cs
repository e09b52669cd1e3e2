using Onnx;
using TransferService.Core.Backbones;
using TransferService.Onnx.Export;
using TransferService.Onnx.Training;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Graphs;

/// <summary>The backbone graph as the service runs it on the in-graph data path: the compact prepared inputs go in
/// (8-bit RGBA pixels; token ids and a count per row), normalisation, pooling and, when the manifest asks, L2
/// normalisation happen inside, and only the [N, dimension] embedding comes out. Built at load from the installed
/// model file, which stays as it is (export and the host path read it), so the manifest, and with it the embedding
/// cache key, does not change: the embeddings equal the host path's to float rounding.</summary>
internal static class ServingGraph
{
    public const string PixelsInput = "transfer_pixels";
    public const string TokenCountsInput = "transfer_token_counts";
    public const string EmbeddingOutput = "transfer_embedding";

    /// <summary>Whether the model's opset has what the text nodes need; older text models stay on the host path.</summary>
    public static bool Supports(BackboneManifest manifest, long opset) =>
        manifest.Modality != Modality.Text || opset >= TokenMask.MinimumOpset;

    /// <summary>Rewrites <paramref name="model"/> in place (call <see cref="Supports"/> first).</summary>
    public static void Build(ModelProto model, BackboneManifest manifest)
    {
        var opset = ModelOpset.Of(model);
        var graph = model.Graph;
        var front = new OnnxGraph(new GraphProto(), DataType.Float, "serving_in_");
        switch (manifest.Modality)
        {
            case Modality.Image:
                PixelNormalization.Prepend(front, manifest.Image!, PixelsInput);
                RemoveInputs(graph, manifest.Image!.Input);
                break;
            case Modality.Text:
                var text = manifest.Text!;
                TokenMask.Prepend(front, text, TokenCountsInput, opset);
                RemoveInputs(graph, text.AttentionMask, text.TokenTypeIds);
                break;
        }
        var nodes = front.Proto.Node.Concat(graph.Node).ToArray();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(front.Proto.Initializer);
        foreach (var input in front.Proto.Input.Reverse()) graph.Input.Insert(0, input);

        var back = new OnnxGraph(graph, DataType.Float, "serving_out_");
        var pooled = ExportPooling.Append(back, manifest, opset);
        back.NodeTo("Identity", [pooled], EmbeddingOutput);
        graph.Output.Clear();
        back.Output(EmbeddingOutput, DataType.Float);
        GraphPruning.Prune(graph);
    }

    private static void RemoveInputs(GraphProto graph, params string[] names)
    {
        foreach (var input in graph.Input.Where(i => names.Contains(i.Name)).ToArray()) graph.Input.Remove(input);
    }
}
