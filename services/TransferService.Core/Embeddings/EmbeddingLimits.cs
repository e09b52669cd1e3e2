namespace TransferService.Core.Embeddings;

public sealed record EmbeddingLimits
{
    public const string Section = "Embedding";

    /// <summary>Most inputs in one Embed call.</summary>
    public int MaxInputsPerRequest { get; init; } = 1024;
}
