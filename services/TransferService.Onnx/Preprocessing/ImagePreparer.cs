using SkiaSharp;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>Images → 8-bit RGBA at the model's size per the backbone's <see cref="ImageSpec"/>: composite alpha onto
/// the background, then stretch (after compositing, so transparent colours never bleed into the interpolation).
/// Normalisation, value = (pixel·scale − mean[c]) / std[c] in the model's channel order, comes later
/// (<see cref="ImagePlanes"/>), inside the model's graph on the default data path.</summary>
internal sealed class ImagePreparer(ImageSpec spec) : IInputPreparer
{
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    public PreparedInput Prepare(EmbeddingInput input)
    {
        // Opaque pixels already at the model's size need neither compositing nor resizing: RGB rows are kept as they
        // came (widened to RGBA when the batch is packed), gray ones go straight to RGBA.
        if (input is RawPixelsInput { Channels: not 4 } raw && raw.Width == spec.Width && raw.Height == spec.Height)
        {
            ImageDecoder.CheckPixels(raw.Data.Length, raw.Width, raw.Height, raw.Channels, spec.MaxPixels);
            if (raw.Channels == 3) return PreparedPixels.FromRgb(raw.Data);
            var rgba = GC.AllocateUninitializedArray<byte>(spec.Width * spec.Height * PreparedPixels.Channels);
            ImageDecoder.ToRgba(raw.Data.Span, raw.Channels, rgba);
            return PreparedPixels.FromRgba(rgba);
        }
        using var bitmap = input switch
        {
            EncodedImageInput image => ImageDecoder.Decode(image.Data, spec.MaxPixels),
            RawPixelsInput pixels => ImageDecoder.FromPixels(pixels.Data.Span, pixels.Width, pixels.Height, pixels.Channels, spec.MaxPixels),
            _ => throw TransferException.Invalid("input", $"this backbone takes images (image or pixels), not {InputKinds.Describe(input)}"),
        };
        AlphaCompositor.Flatten(bitmap, spec.Background);
        if (bitmap.Width == spec.Width && bitmap.Height == spec.Height) return ToPixels(bitmap);
        using var resized = bitmap.Resize(new SKImageInfo(spec.Width, spec.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul), Sampling);
        return ToPixels(resized);
    }

    private static PreparedPixels ToPixels(SKBitmap bitmap) => PreparedPixels.FromRgba(bitmap.GetPixelSpan().ToArray());
}
