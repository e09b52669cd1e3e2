namespace TransferService.Core.Heads;

/// <summary>A head version as a caller names it: a version number, an alias, or neither (the latest).</summary>
public readonly record struct HeadReference(string Name, int Version = 0, string Alias = "")
{
    public override string ToString() => Version > 0 ? $"{Name} v{Version}" : Alias.Length > 0 ? $"{Name}@{Alias}" : Name;
}
