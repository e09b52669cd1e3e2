using SkiaSharp;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>Images → planar float tensors per the backbone's <see cref="ImageSpec"/>: composite alpha onto the
/// background, stretch to the model's size (after compositing, so transparent colours never bleed into the
/// interpolation), then value = (pixel·scale − mean[c]) / std[c], channels in the model's order.</summary>
internal sealed class ImagePreparer(ImageSpec spec) : IInputPreparer
{
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    public PreparedInput Prepare(EmbeddingInput input)
    {
        using var bitmap = input switch
        {
            EncodedImageInput image => ImageDecoder.Decode(image.Data, spec.MaxPixels),
            RawPixelsInput pixels => ImageDecoder.FromPixels(pixels.Data.Span, pixels.Width, pixels.Height, pixels.Channels, spec.MaxPixels),
            _ => throw TransferException.Invalid("input", $"this backbone takes images (image or pixels), not {InputKinds.Describe(input)}"),
        };
        AlphaCompositor.Flatten(bitmap, spec.Background);
        if (bitmap.Width == spec.Width && bitmap.Height == spec.Height) return new PreparedFloats(ToPlanes(bitmap));
        using var resized = bitmap.Resize(new SKImageInfo(spec.Width, spec.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul), Sampling);
        return new PreparedFloats(ToPlanes(resized));
    }

    private float[] ToPlanes(SKBitmap bitmap)
    {
        var plane = spec.Width * spec.Height;
        var values = new float[3 * plane];
        var rgba = bitmap.GetPixelSpan();
        Span<int> target = spec.ChannelOrder == "bgr" ? [2, 1, 0] : [0, 1, 2];
        for (var c = 0; c < 3; c++)
        {
            var source = target[c];
            var scale = spec.Scale / spec.Std[c];
            var offset = spec.Mean[c] / spec.Std[c];
            var output = values.AsSpan(c * plane, plane);
            for (var i = 0; i < plane; i++) output[i] = rgba[i * 4 + source] * scale - offset;
        }
        return values;
    }
}
