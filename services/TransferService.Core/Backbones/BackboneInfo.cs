namespace TransferService.Core.Backbones;

/// <summary>A snapshot of one backbone for listing: its manifest (null when it cannot be read), state and lanes.</summary>
public sealed record BackboneInfo(string Name, BackboneManifest? Manifest, BackboneState State, IReadOnlyList<string> Lanes, string Error);
