namespace TransferService.Core.Backbones;

public enum BackboneState
{
    Available,
    Loading,
    Ready,
    Failed,
}
