using System.IO.Compression;

namespace TransferService.Tests.Infrastructure;

/// <summary>Fashion-MNIST from the Debian package dataset-fashion-mnist (28×28 gray, 10 classes), as test.sh unpacks it.</summary>
public static class FashionMnist
{
    public static readonly string Folder = TestDataFolder.Find("fashion-mnist", "/usr/share/datasets/fashion-mnist");

    public static (byte[][] Images, int[] Labels) Load(bool train, int count)
    {
        var prefix = train ? "train" : "t10k";
        var images = ReadIdx(Path.Combine(Folder, $"{prefix}-images-idx3-ubyte.gz"), 16);
        var labels = ReadIdx(Path.Combine(Folder, $"{prefix}-labels-idx1-ubyte.gz"), 8);
        return (Enumerable.Range(0, count).Select(i => images.AsSpan(i * 784, 784).ToArray()).ToArray(),
            labels.Take(count).Select(b => (int)b).ToArray());
    }

    private static byte[] ReadIdx(string path, int header)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: install the Debian package dataset-fashion-mnist (see README)");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray()[header..];
    }
}
