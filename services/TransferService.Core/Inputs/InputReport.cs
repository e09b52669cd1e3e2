namespace TransferService.Core.Inputs;

/// <summary>What the service did with one input: tokens fed to the model and whether the text was cut.</summary>
public readonly record struct InputReport(int Tokens, bool Truncated);
