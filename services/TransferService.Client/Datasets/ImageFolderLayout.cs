using Google.Protobuf;
using TransferService.Contracts.V1;

namespace TransferService.Client.Datasets;

/// <summary>The ImageFolder layout: one subfolder per label, the label being the folder's name, with that label's
/// images in it. Labels and files are taken in ordinal name order, so the same folder uploads the same dataset.</summary>
public static class ImageFolderLayout
{
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp" };

    /// <summary>Each image as an example, read from disk only when enumerated.</summary>
    public static IEnumerable<LabeledExample> Read(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"'{folder}' is not a folder");
        var labels = Directory.GetDirectories(folder).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length == 0)
            throw new InvalidDataException($"'{folder}' has no subfolders: put each label's images in a folder named after the label");
        return Examples(labels);
    }

    /// <summary>Larger than any message a server accepts by default (<c>Service:MaxReceiveMessageBytes</c>, 64 MiB):
    /// refused before it is read into memory.</summary>
    public const long MaxImageBytes = 64L * 1024 * 1024;

    /// <summary>An image file as an input, its bytes as they are (the server decodes them).</summary>
    public static Input ReadImage(string file)
    {
        var length = new FileInfo(file).Length;
        if (length > MaxImageBytes)
            throw new InvalidDataException($"'{file}' is {length:N0} bytes, over the {MaxImageBytes:N0} bytes an image may have");
        return new Input { Image = ByteString.CopyFrom(File.ReadAllBytes(file)) };
    }

    public static IEnumerable<string> ImageFiles(string folder) =>
        Directory.GetFiles(folder).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal);

    private static IEnumerable<LabeledExample> Examples(string[] labels)
    {
        foreach (var labelFolder in labels)
        {
            var label = Path.GetFileName(labelFolder);
            foreach (var file in ImageFiles(labelFolder))
                yield return new LabeledExample { Label = label, Input = ReadImage(file) };
        }
    }
}
