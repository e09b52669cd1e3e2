namespace TransferService.Core.Backbones;

/// <summary>A snapshot of one lane copy of a backbone: items it ran since it was placed on the lane, items waiting.</summary>
public sealed record BackboneInstanceInfo(string Lane, long ItemsEmbedded, int QueuedItems);
