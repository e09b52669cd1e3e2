namespace TransferService.Core.Storage;

/// <summary>Bytes stored under a folder, for quotas.</summary>
public static class FolderSize
{
    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        // Dot-folders (uploads in progress) count too; on Unix they are "hidden".
        AttributesToSkip = FileAttributes.None,
    };

    /// <summary>The sum of the sizes of every file under <paramref name="folder"/>; 0 when it does not exist.
    /// Files removed while counting are skipped.</summary>
    public static long Bytes(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", Everything))
            {
                try { total += file.Length; }
                catch (FileNotFoundException) { }
            }
        }
        catch (DirectoryNotFoundException) { }
        return total;
    }
}
