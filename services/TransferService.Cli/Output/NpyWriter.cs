using System.Buffers.Binary;
using System.Text;

namespace TransferService.Cli.Output;

/// <summary>Writes a float32 [rows, columns] <c>.npy</c> file (format 1.0, little-endian, C order) row block by row
/// block. The header is written first with room to spare and rewritten with the final row count on dispose, so rows
/// stream to disk without being held. Owns the file stream.</summary>
public sealed class NpyWriter : IAsyncDisposable
{
    private const int HeaderBytes = 128;
    private readonly FileStream _file;
    private readonly int _columns;
    private long _rows;

    public NpyWriter(string path, int columns)
    {
        _file = File.Create(path);
        _columns = columns;
        _file.Write(Header(0));
    }

    public async Task AppendAsync(IReadOnlyList<float> values, CancellationToken cancellationToken)
    {
        if (values.Count % _columns != 0) throw new InvalidDataException($"{values.Count} values do not fill rows of {_columns}");
        var bytes = new byte[values.Count * sizeof(float)];
        for (var i = 0; i < values.Count; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        await _file.WriteAsync(bytes, cancellationToken);
        _rows += values.Count / _columns;
    }

    public async ValueTask DisposeAsync()
    {
        _file.Position = 0;
        await _file.WriteAsync(Header(_rows));
        await _file.DisposeAsync();
    }

    private byte[] Header(long rows)
    {
        var dictionary = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {_columns}), }}";
        var header = new byte[HeaderBytes];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), HeaderBytes - 10);
        var text = Encoding.ASCII.GetBytes(dictionary.PadRight(HeaderBytes - 11) + "\n");
        text.CopyTo(header, 10);
        return header;
    }
}
