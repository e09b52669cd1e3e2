using TransferService.Core.Heads;

namespace TransferService.Core.Extraction;

/// <summary>An extraction job as stored in its payload: everything resolved at submission (the backbone's version, each
/// head's version), so a resumed job makes the same output as the first run would have.</summary>
public sealed record ExtractionSpec(string Backbone, string BackboneVersion, int Dimension, ExtractionSourceKind SourceKind, string Source,
    bool Normalize, IReadOnlyList<HeadReference> Heads)
{
    /// <summary>The request field that names the source (errors about it point there).</summary>
    public string SourceField => SourceKind switch
    {
        ExtractionSourceKind.Dataset => "dataset_id",
        ExtractionSourceKind.Folder => "folder",
        ExtractionSourceKind.Jsonl => "jsonl_file",
        _ => "csv_file",
    };
}
