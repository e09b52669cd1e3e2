namespace TransferService.Core.Heads;

public enum ClassWeighting
{
    None,
    /// <summary>w_c = N / (C · n_c): every class weighs as much in the loss as any other.</summary>
    Balanced,
}
