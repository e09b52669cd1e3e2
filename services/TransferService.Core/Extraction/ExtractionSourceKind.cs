namespace TransferService.Core.Extraction;

/// <summary>Where an extraction's items come from; each has its own request field.</summary>
public enum ExtractionSourceKind
{
    Dataset,
    Folder,
    Jsonl,
    Csv,
}
