using TransferService.Core.Backbones;

namespace TransferService.Core.Heads;

/// <summary>One self-contained ONNX model: the backbone's graph, its pooling (and normalisation), then the
/// head's calibrated softmax. Plain ONNX Runtime runs it on the backbone's own inputs (image planes after
/// the manifest's preprocessing, or token ids and mask).</summary>
public interface IHeadExporter
{
    ExportedModel Export(HeadRecord head, BackboneManifest backbone, string backboneFolder);
}

public sealed record ExportedModel(byte[] Onnx, IReadOnlyList<string> InputNames, string OutputName);
