using TransferService.Core.Errors;
using TransferService.Core.Storage;

namespace TransferService.Core.Backbones;

/// <summary>A file a manifest names, confined to its backbone folder. A manifest comes from whoever can write to
/// the model repository, so every path in it is treated as hostile: it must stay inside the folder once symlinks
/// are resolved, be a regular non-empty file (devices, FIFOs and /proc files report size 0) and be under a size cap.
/// Refusals are InvalidArgument naming the manifest field, and never show a server path.</summary>
public static class BackboneFile
{
    public const long MaxManifestBytes = 1024 * 1024;
    public const long MaxVocabularyBytes = 16 * 1024 * 1024;

    /// <summary>True when <paramref name="path"/> is a non-empty relative path that does not step out with "..".</summary>
    public static bool IsConfined(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Split('/', '\\').Contains("..");

    /// <summary>The real (symlink-free) path of <paramref name="relativePath"/> in <paramref name="folder"/>, after
    /// checking it is a regular file of 1..<paramref name="maxBytes"/> bytes inside the folder.</summary>
    public static string Resolve(string folder, string relativePath, string field, long maxBytes)
    {
        if (!IsConfined(relativePath)) throw Refused(field, "must be a relative path inside the backbone folder");
        var root = RealPathOf(Path.GetFullPath(folder));
        var path = RealPathOf(Path.GetFullPath(Path.Combine(root, relativePath)));
        if (!RealPath.IsInside(path, root))
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

    private static string RealPathOf(string fullPath) =>
        RealPath.Of(fullPath) ?? throw Refused("backbone.json", "has a path with too many symlinks");

    private static TransferException Refused(string field, string message) =>
        TransferException.Invalid(field, $"backbone.json: {field} {message}");
}
