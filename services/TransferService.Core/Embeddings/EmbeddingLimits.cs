namespace TransferService.Core.Embeddings;

public sealed record EmbeddingLimits
{
    public const string Section = "Embedding";

    /// <summary>Most inputs in one Embed call.</summary>
    public int MaxInputsPerRequest { get; init; } = 1024;

    /// <summary>Bytes of prepared inputs (decoded and resized pixels, token ids) all calls together may hold:
    /// small inputs expand (a 1×1 PNG becomes 196 KB of pixels for resnet18), so the count limit alone does
    /// not bound memory.</summary>
    public long MaxPreparedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Bytes of prepared inputs one call (or one EmbedStream) may hold; it prepares more as its
    /// results come back. Capped at <see cref="MaxPreparedBytes"/>.</summary>
    public long MaxPreparedBytesPerRequest { get; init; } = 64L * 1024 * 1024;

    /// <summary>Inputs prepared (decoded, resized, tokenized) at once on the thread pool, across all calls of several
    /// inputs; each call within the bytes of <see cref="MaxPreparedBytesPerRequest"/> either way. Default: one per core;
    /// 1 or less: each call prepares one at a time, on its own thread.</summary>
    public int MaxParallelPreparations { get; init; } = Environment.ProcessorCount;

    /// <summary>Longest a call waits for room in <see cref="MaxPreparedBytes"/> before it is refused with
    /// ResourceExhausted (it gives up sooner when its deadline passes).</summary>
    public TimeSpan MaxPreparationWait { get; init; } = TimeSpan.FromSeconds(30);
}
