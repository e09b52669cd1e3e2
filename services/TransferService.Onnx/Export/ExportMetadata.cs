using System.Text.Json;
using Onnx;
using TransferService.Core.Backbones;
using TransferService.Core.Heads;

namespace TransferService.Onnx.Export;

/// <summary>What a user of an exported file needs beside the graph, in the model's <c>metadata_props</c> (read
/// with ONNX Runtime's <c>ModelMetadata.CustomMetadataMap</c>): the label of each probability column, how to
/// turn an input into the model's input tensors, and which head and backbone the file was made from.</summary>
internal static class ExportMetadata
{
    public static void Write(ModelProto model, HeadRecord head, BackboneManifest backbone, string backboneFolder)
    {
        Add(model, "labels", JsonSerializer.Serialize(head.Labels));
        Add(model, "preprocessing", ExportPreprocessing.Describe(backbone, backboneFolder));
        Add(model, "head.name", head.Name);
        Add(model, "head.version", head.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(model, "head.backbone", head.Backbone);
        Add(model, "head.backbone_version", head.BackboneVersion);
        // The service scores familiarity against the head's training embeddings, which the file does not carry;
        // the threshold is written so a user who keeps those embeddings can apply the same cut.
        if (head.FamiliarityThreshold is { } threshold)
            Add(model, "head.familiarity_threshold", threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void Add(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
