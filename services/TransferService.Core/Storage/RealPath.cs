namespace TransferService.Core.Storage;

/// <summary>Paths with every symlink resolved, for confining a client's or a manifest's path to a folder: a link in a
/// parent folder counts as much as one at the end, so checking only the last component would let a path escape.</summary>
public static class RealPath
{
    private const int MaxLinkHops = 40;

    /// <summary>The symlink-free form of the absolute <paramref name="fullPath"/>, component by component; missing
    /// components are kept as they are. Null when the path takes more than 40 link hops (a loop).</summary>
    public static string? Of(string fullPath) => Resolve(fullPath, 0);

    /// <summary>True when <paramref name="realPath"/> lies strictly inside <paramref name="realFolder"/> (both already
    /// resolved by <see cref="Of"/>).</summary>
    public static bool IsInside(string realPath, string realFolder) =>
        realPath.StartsWith(realFolder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string? Resolve(string fullPath, int hops)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var link = new FileInfo(current).LinkTarget;
            if (link is null) continue;
            if (++hops > MaxLinkHops) return null;
            var resolved = Resolve(Path.GetFullPath(link, Path.GetDirectoryName(current)!), hops);
            if (resolved is null) return null;
            current = resolved;
        }
        return current;
    }
}
