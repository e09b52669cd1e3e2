namespace TransferService.Core.Backbones;

public sealed record BackboneOptions
{
    public const string Section = "Backbones";

    /// <summary>The model repository: one folder per backbone. Empty: <c>&lt;data folder&gt;/models</c>.</summary>
    public string ModelRepository { get; init; } = "";
    /// <summary>Loaded and warmed at start; health turns SERVING only when all are ready.</summary>
    public string[] Preload { get; init; } = ["resnet18", "minilm"];
    /// <summary>An Embed on a backbone that is in the repository but not loaded loads it first (true), or is
    /// refused with FailedPrecondition (false).</summary>
    public bool LoadOnDemand { get; init; } = true;
}
