using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>One image at the model's size as 8-bit rows, alpha opaque: RGBA (decoded, alpha-composited and resized),
/// or the caller's own RGB rows, kept as they came (raw pixels already at the model's size: no copy, no conversion
/// until the batch is packed). The graph takes RGBA (<see cref="Channels"/>), a quarter of the bytes of the float
/// planes the model takes; normalisation happens later, in the model's graph or, on the host path, in
/// <see cref="ImagePlanes"/>.</summary>
internal sealed class PreparedPixels : PreparedInput
{
    /// <summary>The channels of the rows the graph takes.</summary>
    public const int Channels = 4;

    private PreparedPixels(ReadOnlyMemory<byte> rows, int channels)
    {
        Rows = rows;
        RowChannels = channels;
        Bytes = rows.Length;
    }

    /// <summary>RGBA rows, owned from now on.</summary>
    public static PreparedPixels FromRgba(byte[] rgba) => new(rgba, Channels);

    /// <summary>Opaque RGB rows at the model's size (already checked), held as they are.</summary>
    public static PreparedPixels FromRgb(ReadOnlyMemory<byte> rgb) => new(rgb, 3);

    /// <summary>The rows: RGBA, or RGB when <see cref="RowChannels"/> is 3.</summary>
    public ReadOnlyMemory<byte> Rows { get; }

    /// <summary>4 (RGBA) or 3 (RGB); red, green and blue come first either way.</summary>
    public int RowChannels { get; }

    /// <summary>Writes the image as RGBA rows (alpha opaque for RGB) into <paramref name="rgba"/>.</summary>
    public void CopyRgbaTo(Span<byte> rgba)
    {
        if (RowChannels == Channels) Rows.Span.CopyTo(rgba);
        else ImageDecoder.ToRgba(Rows.Span, RowChannels, rgba);
    }
}
