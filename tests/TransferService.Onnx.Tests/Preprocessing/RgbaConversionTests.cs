using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Tests.Preprocessing;

/// <summary>Gray, RGB and RGBA rows widened to RGBA: the vectorised gray and RGB loops and their scalar tail against the
/// definition, pixel by pixel, at every length around the vector's step; and raw RGB at the model's size held as it
/// came, then packed as the RGBA the graph takes.</summary>
public sealed class RgbaConversionTests
{
    public static TheoryData<int> Channels => [1, 3, 4];

    [Theory]
    [MemberData(nameof(Channels))]
    public void ToRgba_EveryLengthUpTo40Pixels_MatchesThePixelByPixelDefinition(int channels)
    {
        var random = new Random(channels);
        for (var pixels = 0; pixels <= 40; pixels++)
        {
            var data = new byte[pixels * channels];
            random.NextBytes(data);
            // Filled with a value the conversion never writes by accident, so a pixel left out shows.
            var rgba = Enumerable.Repeat((byte)7, pixels * 4).ToArray();

            ImageDecoder.ToRgba(data, channels, rgba);

            for (var p = 0; p < pixels; p++)
            {
                var s = p * channels;
                byte[] expected = channels switch
                {
                    1 => [data[s], data[s], data[s], 255],
                    3 => [data[s], data[s + 1], data[s + 2], 255],
                    _ => [data[s], data[s + 1], data[s + 2], data[s + 3]],
                };
                Assert.True(expected.AsSpan().SequenceEqual(rgba.AsSpan(p * 4, 4)), $"{pixels} pixels of {channels} channels: pixel {p}");
            }
        }
    }

    [Fact]
    public void Prepare_RgbAtTheModelSize_KeptAsItCameAndPackedAsOpaqueRgba()
    {
        var spec = new ImageSpec { Input = "x", Width = 5, Height = 3 };
        var rgb = new byte[5 * 3 * 3];
        new Random(3).NextBytes(rgb);

        var prepared = (PreparedPixels)new ImagePreparer(spec).Prepare(new RawPixelsInput(rgb, 5, 3, 3));
        var packed = new byte[5 * 3 * 4];
        prepared.CopyRgbaTo(packed);

        Assert.Equal(rgb.Length, prepared.Bytes);
        var expected = new byte[packed.Length];
        ImageDecoder.ToRgba(rgb, 3, expected);
        Assert.Equal(expected, packed);
        Assert.Equal(ImagePlanes.ToPlanes(spec, PreparedPixels.FromRgba(expected)), ImagePlanes.ToPlanes(spec, prepared));
    }
}
