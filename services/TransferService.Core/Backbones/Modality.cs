namespace TransferService.Core.Backbones;

public enum Modality
{
    Image,
    Text,
    Tensor,
}
