using TransferService.Core.Errors;
using TransferService.Core.Storage;

namespace TransferService.Core.Extraction;

/// <summary>The server-side folder that a client may read sources from. A client's path is hostile: it must be
/// relative, free of "..", and stay inside the root once every symlink along it is resolved (and, for a folder, so
/// must every file in it). Refusals are InvalidArgument naming the request field and showing only the client's own
/// relative path, never the server's.</summary>
public sealed class ImportRoot(string folder)
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp"];

    /// <summary>The real path of the file <paramref name="relativePath"/>, checked to be a regular file inside the root of
    /// at most <paramref name="maxBytes"/> bytes.</summary>
    public string File(string relativePath, string field, long maxBytes)
    {
        var path = Resolve(relativePath, field);
        var info = new FileInfo(path);
        if (!info.Exists) throw new TransferException(ErrorCode.NotFound, $"{field} '{relativePath}' does not exist under the import root", field);
        if (info.Length > maxBytes)
            throw TransferException.Invalid(field, $"{field} '{relativePath}' holds {info.Length} bytes; the limit is {maxBytes} ({ExtractionOptions.Section} options)");
        return path;
    }

    /// <summary>The image files directly in the folder <paramref name="relativePath"/> (not its subfolders), as names
    /// in ordinal order; at most <paramref name="maxItems"/>. A name that leads outside the root is refused.</summary>
    public IReadOnlyList<string> Images(string relativePath, string field, int maxItems)
    {
        var folder = Resolve(relativePath, field);
        if (!Directory.Exists(folder)) throw new TransferException(ErrorCode.NotFound, $"{field} '{relativePath}' is not a folder under the import root", field);
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || !ImageExtensions.Contains(Path.GetExtension(name).ToLowerInvariant())) continue;
            if (Confine(path) is null)
                throw TransferException.Invalid(field, $"{field} '{relativePath}': '{name}' is a symlink that leads outside the import root");
            if (!System.IO.File.Exists(path)) continue;
            names.Add(name);
            if (names.Count > maxItems)
                throw TransferException.Invalid(field, $"{field} '{relativePath}' holds more than {maxItems} images ({ExtractionOptions.Section}:{nameof(ExtractionOptions.MaxItems)})");
        }
        if (names.Count == 0) throw TransferException.Invalid(field, $"{field} '{relativePath}' holds no image files ({string.Join(", ", ImageExtensions)})");
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The real path of a file of a folder source, checked again when it is read (the folder may have changed
    /// since the job started).</summary>
    public string Image(string relativeFolder, string name, string field, long maxBytes) =>
        File(Path.Combine(relativeFolder, name), field, maxBytes);

    private string Resolve(string relativePath, string field)
    {
        if (relativePath.Length == 0) throw TransferException.Invalid(field, $"{field} must name a path under the import root");
        if (Path.IsPathRooted(relativePath) || relativePath.Split('/', '\\').Contains(".."))
            throw TransferException.Invalid(field, $"{field} must be a path relative to the import root, without '..'");
        return Confine(Path.Combine(Root(), relativePath))
            ?? throw TransferException.Invalid(field, $"{field} '{relativePath}' leads outside the import root (through a symlink)");
    }

    /// <summary>The real path of <paramref name="path"/> when it stays inside the root, else null.</summary>
    private string? Confine(string path)
    {
        var real = RealPath.Of(Path.GetFullPath(path));
        return real is not null && RealPath.IsInside(real, Root()) ? real : null;
    }

    private string Root() => RealPath.Of(Path.GetFullPath(folder)) ?? Path.GetFullPath(folder);
}
