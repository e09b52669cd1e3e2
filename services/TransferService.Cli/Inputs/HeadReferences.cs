using TransferService.Contracts.V1;

namespace TransferService.Cli.Inputs;

/// <summary>A head on the command line: <c>name</c> (latest version), <c>name:3</c> (version 3) or <c>name@prod</c>
/// (an alias).</summary>
public static class HeadReferences
{
    public static HeadReference Parse(string text)
    {
        var at = text.LastIndexOf('@');
        if (at > 0) return new HeadReference { Name = text[..at], Alias = text[(at + 1)..] };
        var colon = text.LastIndexOf(':');
        if (colon > 0)
        {
            if (!uint.TryParse(text[(colon + 1)..], out var version))
                throw new FormatException($"'{text}': a version after ':' must be a number (name:3), an alias goes after '@' (name@prod)");
            return new HeadReference { Name = text[..colon], Version = version };
        }
        return new HeadReference { Name = text };
    }

    public static string Format(HeadReference head) =>
        head.Alias.Length > 0 ? $"{head.Name}@{head.Alias}" : head.Version > 0 ? $"{head.Name}:{head.Version}" : head.Name;
}
