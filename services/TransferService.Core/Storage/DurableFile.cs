namespace TransferService.Core.Storage;

/// <summary>Writes that survive a crash: data goes to a temporary name, is flushed to disk, then renamed
/// over the target, so a reader sees the old file or the whole new one, never a part.</summary>
public static class DurableFile
{
    private const string TemporaryMarker = ".tmp-";

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data)
    {
        var temporary = $"{path}{TemporaryMarker}{Environment.ProcessId}-{Guid.NewGuid():N}";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(data);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes what writes interrupted by a crash left under <paramref name="root"/>: the temporary files
    /// of <see cref="WriteAllBytes"/> and the folders matching <paramref name="unpublishedFolders"/> (sources of
    /// <see cref="PublishFolder"/> never published). Call at start, before any write.</summary>
    public static void RemoveInterruptedWrites(string root, string? unpublishedFolders = null)
    {
        if (!Directory.Exists(root)) return;
        if (unpublishedFolders is not null)
            foreach (var folder in Directory.EnumerateDirectories(root, unpublishedFolders))
                Remove(() => Directory.Delete(folder, recursive: true));
        foreach (var file in Directory.EnumerateFiles(root, $"*{TemporaryMarker}*", SearchOption.AllDirectories))
            Remove(() => File.Delete(file));
    }

    // A leftover that cannot be removed is harmless (never read); it must not stop the service from starting.
    private static void Remove(Action remove)
    {
        try { remove(); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Publishes a fully written folder under its final name in one rename, unless
    /// <paramref name="cancellationToken"/> was cancelled before the rename.</summary>
    public static void PublishFolder(string temporaryFolder, string folder, CancellationToken cancellationToken = default)
    {
        foreach (var file in Directory.EnumerateFiles(temporaryFolder))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
            stream.Flush(flushToDisk: true);
        }
        cancellationToken.ThrowIfCancellationRequested();
        Directory.Move(temporaryFolder, folder);
    }
}
