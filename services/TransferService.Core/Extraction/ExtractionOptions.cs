namespace TransferService.Core.Extraction;

/// <summary>Where server-side sources may come from, and the bounds on what one extraction job reads and holds.</summary>
public sealed record ExtractionOptions
{
    public const string Section = "Extraction";

    /// <summary>The folder that server-side sources (folders, JSONL and CSV files) are named relative to; empty
    /// refuses them (only uploaded datasets can be extracted).</summary>
    public string ImportRoot { get; init; } = "";

    /// <summary>Rows written, made durable and checkpointed together: a resumed job redoes at most one chunk.</summary>
    public int ChunkSize { get; init; } = 256;

    /// <summary>Most rows of one job.</summary>
    public int MaxItems { get; init; } = 1_000_000;

    /// <summary>Largest JSONL or CSV file read.</summary>
    public long MaxTextFileBytes { get; init; } = 256L << 20;

    /// <summary>Longest JSONL line or CSV record, in characters.</summary>
    public int MaxLineCharacters { get; init; } = 1 << 20;

    /// <summary>Largest image file of a folder source.</summary>
    public long MaxImageFileBytes { get; init; } = 64L << 20;

    /// <summary>Most items one job keeps queued or running on the lanes at once (a few batches: enough to keep a lane
    /// busy while the next items are prepared, few enough never to fill its class's queue).</summary>
    public int MaxItemsInFlight { get; init; } = 64;

    /// <summary>Most input bytes (encoded images, texts) one job holds in flight: a chunk of large images is embedded a
    /// few at a time, so a job's memory does not grow with the chunk size.</summary>
    public long MaxBatchBytes { get; init; } = 64L << 20;
}
