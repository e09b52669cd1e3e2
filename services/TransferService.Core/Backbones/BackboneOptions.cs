namespace TransferService.Core.Backbones;

public sealed record BackboneOptions
{
    public const string Section = "Backbones";

    /// <summary>The model repository: one folder per backbone. Empty: <c>&lt;data folder&gt;/models</c>.</summary>
    public string ModelRepository { get; init; } = "";
    /// <summary>Comma-separated backbones loaded and warmed at start; health turns SERVING only when all are
    /// ready. Empty: none.</summary>
    public string Preload { get; init; } = "resnet18,minilm";

    public IReadOnlyList<string> PreloadNames => Preload.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    /// <summary>An Embed on a backbone that is in the repository but not loaded loads it first (true), or is
    /// refused with FailedPrecondition (false).</summary>
    public bool LoadOnDemand { get; init; } = true;
    /// <summary>Largest model file a backbone may name; a larger one is refused before ONNX Runtime reads it.</summary>
    public long MaxModelBytes { get; init; } = 4L * 1024 * 1024 * 1024;
}
