namespace TransferService.Core.Heads;

public enum HeadArchitecture
{
    /// <summary>One affine layer: logits = X·W + b.</summary>
    Linear,
    /// <summary>Affine layers with ReLU (and dropout in training) between them.</summary>
    Mlp,
}
