using System.Runtime.InteropServices;
using TransferService.Core.Inputs;

namespace TransferService.Core.Datasets;

/// <summary>Examples on disk: one record per example, [label][kind][payload], little-endian, so a dataset
/// is streamed in and out without holding it in memory.</summary>
internal static class ExampleSerializer
{
    private enum Kind : byte { Image = 1, Pixels = 2, Text = 3, Tensor = 4 }

    public static void Write(BinaryWriter writer, LabeledExample example)
    {
        writer.Write(example.Label);
        switch (example.Input)
        {
            case EncodedImageInput image:
                writer.Write((byte)Kind.Image);
                WriteBytes(writer, image.Data.Span);
                break;
            case RawPixelsInput pixels:
                writer.Write((byte)Kind.Pixels);
                writer.Write(pixels.Width);
                writer.Write(pixels.Height);
                writer.Write(pixels.Channels);
                WriteBytes(writer, pixels.Data.Span);
                break;
            case TextInput text:
                writer.Write((byte)Kind.Text);
                writer.Write(text.Text);
                break;
            case TensorInput tensor:
                writer.Write((byte)Kind.Tensor);
                writer.Write(tensor.Shape.Length);
                foreach (var d in tensor.Shape) writer.Write(d);
                WriteBytes(writer, MemoryMarshal.AsBytes(tensor.Values.Span));
                break;
            default:
                throw new ArgumentException("unknown input kind", nameof(example));
        }
    }

    /// <summary>One record; a damaged or cut-off file is an <see cref="InvalidDataException"/>, whatever the reader
    /// tripped on, and a corrupt length never allocates more than the bytes left in the file.</summary>
    public static LabeledExample Read(BinaryReader reader)
    {
        try { return ReadRecord(reader); }
        catch (Exception e) when (e is IOException or ArgumentException or FormatException)
        {
            throw new InvalidDataException(e is EndOfStreamException ? "is truncated" : "holds a damaged record", e);
        }
    }

    private static LabeledExample ReadRecord(BinaryReader reader)
    {
        var label = reader.ReadString();
        EmbeddingInput input = (Kind)reader.ReadByte() switch
        {
            Kind.Image => new EncodedImageInput(ReadBytes(reader)),
            Kind.Pixels => ReadPixels(reader),
            Kind.Text => new TextInput(reader.ReadString()),
            Kind.Tensor => ReadTensor(reader),
            var kind => throw new InvalidDataException($"holds an unknown example kind {(byte)kind}"),
        };
        return new LabeledExample(input, label);
    }

    private static RawPixelsInput ReadPixels(BinaryReader reader)
    {
        var (width, height, channels) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        return new RawPixelsInput(ReadBytes(reader), width, height, channels);
    }

    private static TensorInput ReadTensor(BinaryReader reader)
    {
        var shape = new long[Count(reader, sizeof(long))];
        for (var i = 0; i < shape.Length; i++) shape[i] = reader.ReadInt64();
        return new TensorInput(shape, MemoryMarshal.Cast<byte, float>(ReadBytes(reader)).ToArray());
    }

    private static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader reader) => reader.ReadBytes(Count(reader, 1));

    /// <summary>A stored element count, checked against what the rest of the file can hold.</summary>
    private static int Count(BinaryReader reader, int elementBytes)
    {
        var count = reader.ReadInt32();
        var left = reader.BaseStream.CanSeek ? reader.BaseStream.Length - reader.BaseStream.Position : long.MaxValue;
        return count >= 0 && (long)count * elementBytes <= left ? count : throw new InvalidDataException($"a stored count of {count} is impossible here");
    }
}
