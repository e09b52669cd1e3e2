using System.Runtime.InteropServices;
using System.Text;

namespace TransferService.Core.Heads;

/// <summary>The binary body of a <c>v&lt;N&gt;.neighbours</c> file (little-endian): a format tag, the dataset id,
/// row count, dimension, then the mean, the label and example index of each row, and the unit vectors. Binary
/// because the vectors dominate (2,000 × 512 floats is 4 MB; as JSON text it would be three times that).</summary>
public static class NeighbourIndexFormat
{
    private const string Tag = "transferservice-neighbours-1";

    public static byte[] Write(NeighbourIndex index)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Tag);
            writer.Write(index.DatasetId);
            writer.Write(index.Count);
            writer.Write(index.Dimension);
            writer.Write(MemoryMarshal.AsBytes(index.Mean.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(index.Labels.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(index.Examples.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(index.Vectors.AsSpan()));
        }
        return memory.ToArray();
    }

    /// <summary>InvalidDataException or EndOfStreamException when the body is not an index.</summary>
    public static NeighbourIndex Read(byte[] body, int offset)
    {
        using var reader = new BinaryReader(new MemoryStream(body, offset, body.Length - offset), Encoding.UTF8);
        if (reader.ReadString() != Tag) throw new InvalidDataException("not a neighbour index");
        var datasetId = reader.ReadString();
        var count = reader.ReadInt32();
        var dimension = reader.ReadInt32();
        if (count < 0 || dimension <= 0 || (long)count * dimension > NeighbourIndex.MaxRows * 65_536L)
            throw new InvalidDataException("neighbour index has impossible sizes");
        var mean = Read<float>(reader, dimension);
        var labels = Read<int>(reader, count);
        var examples = Read<int>(reader, count);
        var vectors = Read<float>(reader, count * dimension);
        return new NeighbourIndex(datasetId, dimension, mean, vectors, labels, examples);
    }

    private static T[] Read<T>(BinaryReader reader, int count) where T : struct
    {
        var values = new T[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length) throw new EndOfStreamException("neighbour index is truncated");
        return values;
    }
}
