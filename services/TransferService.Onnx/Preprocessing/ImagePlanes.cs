using TransferService.Core.Backbones;

namespace TransferService.Onnx.Preprocessing;

/// <summary>The host path's normalisation: RGBA or RGB rows → planar float32, value = pixel·(scale/std[c]) − mean[c]/std[c],
/// channels in the manifest's order. The in-graph path (<see cref="Graphs.PixelNormalization"/>) does the same two
/// float32 operations with the same constants, so both give the same bits.</summary>
internal static class ImagePlanes
{
    public static void Write(ImageSpec spec, PreparedPixels pixels, Span<float> planes)
    {
        var rows = pixels.Rows.Span;
        var stride = pixels.RowChannels;
        var plane = spec.Width * spec.Height;
        for (var c = 0; c < 3; c++)
        {
            var source = Source(spec, c);
            var (scale, offset) = Coefficients(spec, c);
            var output = planes.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++) output[i] = rows[i * stride + source] * scale - offset;
        }
    }

    /// <summary>The channel of a row (R, G, B first) that model channel <paramref name="c"/> reads.</summary>
    public static int Source(ImageSpec spec, int c) => spec.ChannelOrder == "bgr" ? 2 - c : c;

    /// <summary>Model channel <paramref name="c"/>'s multiplier and offset, computed in float32 once.</summary>
    public static (float Scale, float Offset) Coefficients(ImageSpec spec, int c) =>
        (spec.Scale / spec.Std[c], spec.Mean[c] / spec.Std[c]);

    /// <summary>A prepared image as the planes the model's own input takes (tests and the host path).</summary>
    public static float[] ToPlanes(ImageSpec spec, PreparedPixels pixels)
    {
        var planes = new float[3 * spec.Width * spec.Height];
        Write(spec, pixels, planes);
        return planes;
    }
}
