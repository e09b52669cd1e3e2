namespace TransferService.Core.Backbones;

/// <summary>A snapshot of one backbone for listing: its manifest (null when it cannot be read), state, lanes, the items
/// run through it since it was loaded in this process, its estimated footprint per lane copy and each copy.</summary>
public sealed record BackboneInfo(string Name, BackboneManifest? Manifest, BackboneState State, IReadOnlyList<string> Lanes, string Error,
    long ItemsEmbedded = 0, long FootprintBytes = 0, IReadOnlyList<BackboneInstanceInfo>? Instances = null);
