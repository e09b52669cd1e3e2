using TransferService.Core.Errors;

namespace TransferService.Core.Backbones;

/// <summary>A file a manifest names, confined to its backbone folder. A manifest comes from whoever can write to
/// the model repository, so every path in it is treated as hostile: it must stay inside the folder once symlinks
/// are resolved, be a regular non-empty file (devices, FIFOs and /proc files report size 0) and be under a size cap.
/// Refusals are InvalidArgument naming the manifest field, and never show a server path.</summary>
public static class BackboneFile
{
    public const long MaxManifestBytes = 1024 * 1024;
    public const long MaxVocabularyBytes = 16 * 1024 * 1024;
    private const int MaxLinkHops = 40;

    /// <summary>True when <paramref name="path"/> is a non-empty relative path that does not step out with "..".</summary>
    public static bool IsConfined(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Split('/', '\\').Contains("..");

    /// <summary>The real (symlink-free) path of <paramref name="relativePath"/> in <paramref name="folder"/>, after
    /// checking it is a regular file of 1..<paramref name="maxBytes"/> bytes inside the folder.</summary>
    public static string Resolve(string folder, string relativePath, string field, long maxBytes)
    {
        if (!IsConfined(relativePath)) throw Refused(field, "must be a relative path inside the backbone folder");
        var root = RealPath(Path.GetFullPath(folder));
        var path = RealPath(Path.GetFullPath(Path.Combine(root, relativePath)));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Refused(field, "must stay inside the backbone folder (a symlink may not point outside it)");
        var info = new FileInfo(path);
        if (!info.Exists) throw Refused(field, "names a file that does not exist");
        if (info.Length == 0) throw Refused(field, "must name a regular, non-empty file");
        if (info.Length > maxBytes) throw Refused(field, $"names a file of {info.Length} bytes; the limit is {maxBytes}");
        return path;
    }

    /// <summary>The file's bytes, read with the cap enforced on the bytes actually read (the file may grow).</summary>
    public static byte[] ReadAllBytes(string folder, string relativePath, string field, long maxBytes)
    {
        var path = Resolve(folder, relativePath, field, maxBytes);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var bytes = new MemoryStream((int)Math.Min(stream.Length, maxBytes));
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (bytes.Length + read > maxBytes) throw Refused(field, $"names a file larger than the {maxBytes}-byte limit");
            bytes.Write(buffer, 0, read);
        }
        return bytes.ToArray();
    }

    /// <summary>Resolves every symlink along <paramref name="fullPath"/>, component by component (a link in a
    /// parent folder counts as much as one at the end). Missing components are kept as they are.</summary>
    private static string RealPath(string fullPath, int hops = 0)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var link = new FileInfo(current).LinkTarget;
            if (link is null) continue;
            if (++hops > MaxLinkHops) throw Refused("backbone.json", "has a path with too many symlinks");
            var target = Path.GetFullPath(link, Path.GetDirectoryName(current)!);
            current = RealPath(target, hops);
        }
        return current;
    }

    private static TransferException Refused(string field, string message) =>
        TransferException.Invalid(field, $"backbone.json: {field} {message}");
}
