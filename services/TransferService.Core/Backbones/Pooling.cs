namespace TransferService.Core.Backbones;

/// <summary>How the backbone's output tensor becomes one vector per item.</summary>
public enum Pooling
{
    /// <summary>Already one vector per item: [N,D] or [N,D,1,1].</summary>
    None,
    /// <summary>Mean over the tokens the attention mask keeps: [N,S,D] → [N,D].</summary>
    MaskedMean,
    /// <summary>The first token: [N,S,D] → [N,D].</summary>
    Cls,
    /// <summary>Mean over spatial positions: [N,C,H,W] → [N,C].</summary>
    SpatialMean,
}
