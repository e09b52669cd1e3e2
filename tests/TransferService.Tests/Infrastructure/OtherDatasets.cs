using System.IO.Compression;

namespace TransferService.Tests.Infrastructure;

/// <summary>Inputs unlike the test heads' training sets (unpacked by test.sh from Debian packages): handwritten digits
/// from python3-sklearn (1,797 images of 8×8, 0–16) and English quotations from fortunes-min.</summary>
public static class OtherDatasets
{
    public static readonly string Folder = TestDataFolder.Find("ood", "/var/cache/transferservice-test-data/ood");

    /// <summary>Digits drawn as Fashion-MNIST draws its items: 28×28 gray, white on black, the 8×8 grid scaled to the
    /// central 20×20 (as MNIST centres its digits).</summary>
    public static byte[][] Digits(int count)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Required("digits.csv.gz")), CompressionMode.Decompress));
        var images = new List<byte[]>();
        while (images.Count < count && reader.ReadLine() is { } line)
        {
            var cells = line.Split(',').Take(64).Select(int.Parse).ToArray();
            var image = new byte[28 * 28];
            for (var y = 0; y < 20; y++)
                for (var x = 0; x < 20; x++)
                    image[(y + 4) * 28 + x + 4] = (byte)(cells[y * 8 / 20 * 8 + x * 8 / 20] * 255 / 16);
            images.Add(image);
        }
        return images.ToArray();
    }

    /// <summary>Quotations (with their attribution lines), in file order.</summary>
    public static string[] Fortunes(int count) =>
        new[] { "literature", "fortunes", "riddles" }
            .SelectMany(f => File.ReadAllText(Required(f)).Split("\n%\n"))
            .Select(t => t.Trim()).Where(t => t.Length > 0).Take(count).ToArray();

    private static string Required(string file)
    {
        var path = Path.Combine(Folder, file);
        return File.Exists(path) ? path : throw new FileNotFoundException(TestDataFolder.Missing(path));
    }
}
