using CsCheck;
using TransferService.Core.Errors;
using TransferService.Core.Tests.Properties;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Tests.Properties;

/// <summary>The image decoder on random bytes, damaged real PNG/JPEG files and real signatures followed by noise,
/// and on raw pixels of any declared size: a bitmap of the declared size, or InvalidArgument.</summary>
public sealed class ImageDecoderPropertyTests
{
    [Fact]
    public void Decode_HostileBytes_BitmapWithinBudgetOrInvalidArgument() =>
        HostileInputs.EncodedImage.Sample(bytes => DefinedOutcome.Of(() =>
        {
            using var bitmap = ImageDecoder.Decode(bytes, maxPixels: 10_000);
            Assert.InRange((long)bitmap.Width * bitmap.Height, 1, 10_000);
        }, ErrorCode.InvalidArgument), iter: 3000);

    [Fact]
    public void FromPixels_AnyDeclaredSize_BitmapOfThatSizeOrInvalidArgument() =>
        HostileInputs.Pixels.Sample(pixels => DefinedOutcome.Of(() =>
        {
            using var bitmap = ImageDecoder.FromPixels(pixels.Data.Span, pixels.Width, pixels.Height, pixels.Channels, maxPixels: 1000);
            Assert.Equal((pixels.Width, pixels.Height), (bitmap.Width, bitmap.Height));
        }, ErrorCode.InvalidArgument), iter: 3000);

    [Fact]
    public void Decode_RealPngAndJpeg_Decoded()
    {
        using var png = ImageDecoder.Decode(HostileInputs.Png, 10_000);
        using var jpeg = ImageDecoder.Decode(HostileInputs.Jpeg, 10_000);

        Assert.Equal((24, 16, 24, 16), (png.Width, png.Height, jpeg.Width, jpeg.Height));
    }
}
