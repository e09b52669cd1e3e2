namespace TransferService.Core.Extraction;

/// <summary>The files a succeeded extraction job offers for download.</summary>
public enum ExtractionFile
{
    Embeddings,
    Ids,
    Predictions,
    PredictionColumns,
}
