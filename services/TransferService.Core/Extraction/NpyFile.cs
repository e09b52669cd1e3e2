using System.Runtime.InteropServices;
using System.Text;

namespace TransferService.Core.Extraction;

/// <summary>A float32 [rows, columns] array in NumPy's .npy format (version 1.0, little-endian, C order), created at
/// its final size so that chunks of rows can be written at their own offsets, in any order, by any run of the job.
/// The header is final from the start because the row count is known before the first chunk.</summary>
public static class NpyFile
{
    // NumPy pads its headers to a multiple of 64 bytes so the data is aligned for memory mapping.
    private const int Alignment = 64;
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>Creates (or replaces) the file with its header, the data zero-filled, and makes it durable.</summary>
    public static void Create(string path, int rows, int columns)
    {
        var header = Header(rows, columns);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        stream.Write(header);
        stream.SetLength(header.Length + (long)rows * columns * sizeof(float));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes <paramref name="values"/> (whole rows) from row <paramref name="firstRow"/> and flushes them to the
    /// disk before returning, so a checkpoint recorded afterwards never names rows a crash could lose.</summary>
    public static void WriteRows(string path, int rows, int columns, int firstRow, ReadOnlySpan<float> values)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.Position = Header(rows, columns).Length + (long)firstRow * columns * sizeof(float);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the .npy writer assumes a little-endian machine");
        stream.Write(MemoryMarshal.AsBytes(values));
        stream.Flush(flushToDisk: true);
    }

    private static byte[] Header(int rows, int columns)
    {
        var dictionary = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        var unpadded = Magic.Length + sizeof(ushort) + dictionary.Length + 1;
        var text = dictionary + new string(' ', (Alignment - unpadded % Alignment) % Alignment) + "\n";
        var header = new byte[Magic.Length + sizeof(ushort) + text.Length];
        Magic.CopyTo(header, 0);
        BitConverter.TryWriteBytes(header.AsSpan(Magic.Length), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(Magic.Length + sizeof(ushort)));
        return header;
    }
}
