namespace TransferService.Core.Datasets;

/// <summary>Limits on uploaded examples, checked before anything is stored. The defaults match the built-in
/// backbones' own limits, so an example that passes here is not refused later for its size.</summary>
public sealed record ExampleLimits
{
    public const string Section = "Datasets";

    /// <summary>Largest image (width × height), read from the header before decoding.</summary>
    public long MaxImagePixels { get; init; } = 40_000_000;
    public int MaxTextCharacters { get; init; } = 100_000;
}
