namespace TransferService.Client;

/// <summary>Writes a download to a temporary file beside its target and renames it into place only once the writer has
/// finished, so a cut, failed or cancelled download leaves nothing under the target's name (and no temporary file).</summary>
internal static class PartialFile
{
    public static async Task WriteAsync(string path, Func<FileStream, Task> write)
    {
        var partial = path + ".partial";
        try
        {
            await using (var file = File.Create(partial)) await write(file);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
