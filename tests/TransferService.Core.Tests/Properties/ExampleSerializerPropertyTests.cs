using CsCheck;
using TransferService.Core.Datasets;
using TransferService.Core.Inputs;

namespace TransferService.Core.Tests.Properties;

/// <summary>Reading a damaged dataset file: random bytes, and real records with bytes flipped or cut off, either
/// read or are refused as <see cref="InvalidDataException"/> (the store decides what a client sees), never another
/// exception and never a multi-gigabyte allocation.</summary>
public sealed class ExampleSerializerPropertyTests
{
    private static byte[] Records()
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes))
        {
            ExampleSerializer.Write(writer, new LabeledExample(new TextInput("héllo"), "greeting"));
            ExampleSerializer.Write(writer, new LabeledExample(new RawPixelsInput(new byte[12], 2, 2, 3), "dark"));
            ExampleSerializer.Write(writer, new LabeledExample(new TensorInput([2, 2], new float[] { 1, 2, 3, 4 }), "t"));
            ExampleSerializer.Write(writer, new LabeledExample(new EncodedImageInput(new byte[] { 0x89, 0x50 }), "png"));
        }
        return bytes.ToArray();
    }

    private static void ReadAll(byte[] file)
    {
        using var reader = new BinaryReader(new MemoryStream(file));
        while (reader.BaseStream.Position < reader.BaseStream.Length) ExampleSerializer.Read(reader);
    }

    private static readonly Gen<byte[]> Damaged = Gen.Select(Gen.Int[0, 200], Gen.Byte, Gen.Bool, (at, value, cut) =>
    {
        var file = Records();
        var i = at % file.Length;
        if (cut) return file[..i];
        file[i] = value;
        return file;
    });

    private static void ReadsOrIsDamaged(byte[] file)
    {
        try { ReadAll(file); }
        catch (InvalidDataException) { }
    }

    [Fact]
    public void Read_RecordsRoundTrip()
    {
        using var reader = new BinaryReader(new MemoryStream(Records()));

        Assert.Equal(new TextInput("héllo"), ExampleSerializer.Read(reader).Input);
        Assert.Equal("dark", ExampleSerializer.Read(reader).Label);
        Assert.Equal([2L, 2], ((TensorInput)ExampleSerializer.Read(reader).Input).Shape);
    }

    [Fact]
    public void Read_RandomBytes_ReadsOrInvalidData() =>
        Gen.Byte.Array[0, 256].Sample(file => ReadsOrIsDamaged(file), iter: 5000);

    [Fact]
    public void Read_DamagedRecords_ReadsOrInvalidData() =>
        Damaged.Sample(file => ReadsOrIsDamaged(file), iter: 3000);
}
