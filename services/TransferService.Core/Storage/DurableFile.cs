namespace TransferService.Core.Storage;

/// <summary>Writes that survive a crash: data goes to a temporary name, is flushed to disk, then renamed
/// over the target, so a reader sees the old file or the whole new one, never a part.</summary>
public static class DurableFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data)
    {
        var temporary = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(data);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Publishes a fully written folder under its final name in one rename.</summary>
    public static void PublishFolder(string temporaryFolder, string folder)
    {
        foreach (var file in Directory.EnumerateFiles(temporaryFolder))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
            stream.Flush(flushToDisk: true);
        }
        Directory.Move(temporaryFolder, folder);
    }
}
