using System.Buffers.Binary;
using System.IO.Compression;

namespace TransferService.TrainingBenchmarks.Dataset;

/// <summary>Reads the first items of Fashion-MNIST's gzipped idx files (big-endian header, then one byte per
/// pixel or label), as the dataset-fashion-mnist package installs them.</summary>
internal static class FashionMnistFiles
{
    public static readonly string Folder = Tests.Infrastructure.TestDataFolder.Find("fashion-mnist", "/usr/share/datasets/fashion-mnist");
    public const int Side = 28;
    public const int Classes = 10;
    private const int ImagesMagic = 0x0803;
    private const int LabelsMagic = 0x0801;

    /// <summary>[count × 28 × 28] gray pixels, row-major, from the training set or the test set (t10k).</summary>
    public static byte[] ReadImages(int count, bool testSet = false) =>
        Read(Path.Combine(Folder, $"{Prefix(testSet)}-images-idx3-ubyte.gz"), ImagesMagic, count, Side * Side);

    public static int[] ReadLabels(int count, bool testSet = false) =>
        Read(Path.Combine(Folder, $"{Prefix(testSet)}-labels-idx1-ubyte.gz"), LabelsMagic, count, 1).Select(b => (int)b).ToArray();

    private static string Prefix(bool testSet) => testSet ? "t10k" : "train";

    private static byte[] Read(string path, int magic, int count, int itemBytes)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: install it with `apt-get install -y dataset-fashion-mnist`");
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var dimensions = magic & 0xFF;
        var header = new byte[4 * (1 + dimensions)];
        stream.ReadExactly(header);
        var items = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (BinaryPrimitives.ReadInt32BigEndian(header) != magic || items < count)
            throw new InvalidDataException($"{path} is not an idx file of at least {count} items");
        for (var d = 1; d < dimensions; d++)
            if (BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * (1 + d))) != Side)
                throw new InvalidDataException($"{path} does not hold {Side}×{Side} images");
        var data = new byte[count * itemBytes];
        stream.ReadExactly(data);
        return data;
    }
}
