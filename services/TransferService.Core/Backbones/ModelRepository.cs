using System.Text.RegularExpressions;
using TransferService.Core.Errors;

namespace TransferService.Core.Backbones;

/// <summary>The folder that holds one sub-folder per backbone (<c>model.onnx</c> + <c>backbone.json</c>).</summary>
public sealed partial class ModelRepository(string root)
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex NamePattern();

    /// <summary>1-63 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public string Root { get; } = Path.GetFullPath(root);

    public IEnumerable<string> Names() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root)
                .Where(d => File.Exists(Path.Combine(d, BackboneManifest.FileName)))
                .Select(d => Path.GetFileName(d)!)
                .Where(n => NamePattern().IsMatch(n))
                .Order(StringComparer.Ordinal)
            : [];

    /// <summary>The folder of backbone <paramref name="name"/>; InvalidArgument for a malformed name,
    /// NotFound when the repository has no such backbone.</summary>
    public string Folder(string name, string field = "name")
    {
        if (string.IsNullOrEmpty(name)) throw TransferException.Invalid(field, $"{field} is required");
        if (!NamePattern().IsMatch(name)) throw TransferException.Invalid(field, $"{field} '{name}' is not a valid backbone name");
        var folder = Path.Combine(Root, name);
        if (!File.Exists(Path.Combine(folder, BackboneManifest.FileName)))
            throw new TransferException(ErrorCode.NotFound, $"backbone '{name}' is not in the model repository", field);
        return folder;
    }
}
