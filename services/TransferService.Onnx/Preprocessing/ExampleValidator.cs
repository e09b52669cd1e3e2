using TransferService.Core.Datasets;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>Checks uploaded examples with the same decoder and rules embedding uses, so a stored dataset
/// holds nothing a backbone would refuse for its form. An encoded image is decoded in full (a truncated
/// file is found only there) and its pixels dropped at once; decoding is CPU-bound and runs on the
/// caller's thread.</summary>
public sealed class ExampleValidator(ExampleLimits limits) : IExampleValidator
{
    public void Validate(EmbeddingInput input)
    {
        switch (input)
        {
            case EncodedImageInput image:
                ImageDecoder.Decode(image.Data, limits.MaxImagePixels).Dispose();
                break;
            case RawPixelsInput pixels:
                ImageDecoder.CheckPixels(pixels.Data.Length, pixels.Width, pixels.Height, pixels.Channels, limits.MaxImagePixels);
                break;
            case TextInput text:
                if (string.IsNullOrWhiteSpace(text.Text)) throw TransferException.Invalid("text", "text is empty");
                if (text.Text.Length > limits.MaxTextCharacters)
                    throw TransferException.Invalid("text", $"text has {text.Text.Length} characters; the limit is {limits.MaxTextCharacters}");
                break;
            case TensorInput tensor:
                ValidateTensor(tensor);
                break;
        }
    }

    private static void ValidateTensor(TensorInput tensor)
    {
        if (tensor.Shape.Length == 0 || tensor.Shape.Any(d => d <= 0))
            throw TransferException.Invalid("tensor.shape", $"tensor.shape [{string.Join(",", tensor.Shape)}] must list positive dimensions");
        // In double: a hostile shape must not overflow into a match.
        var elements = tensor.Shape.Aggregate(1.0, (product, d) => product * d);
        if (elements != tensor.Values.Length)
            throw TransferException.Invalid("tensor.values", $"tensor.values holds {tensor.Values.Length} values; shape [{string.Join(",", tensor.Shape)}] needs {elements}");
        var bad = FirstNonFinite(tensor.Values.Span);
        if (bad >= 0) throw TransferException.Invalid("tensor.values", $"tensor.values[{bad}] is {tensor.Values.Span[bad]}; values must be finite");
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
