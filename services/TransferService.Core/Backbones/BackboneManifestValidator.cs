using TransferService.Core.Errors;

namespace TransferService.Core.Backbones;

/// <summary>Semantic checks on a parsed manifest; field names are the JSON paths.</summary>
public static class BackboneManifestValidator
{
    public static void Validate(BackboneManifest m)
    {
        Require(ModelRepository.IsValidName(m.Name), "name", "must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
        Require(m.Version.Length > 0, "version", "must not be empty");
        Require(m.Output.Length > 0, "output", "must name the model output that carries the embedding");
        Require(m.Dimension > 0, "dimension", "must be positive");
        Require(m.MaxBatchSize is > 0 and <= 4096, "maxBatchSize", "must be in 1..4096");
        Require(BackboneFile.IsConfined(m.Model), "model", "must be a relative path inside the backbone folder");
        switch (m.Modality)
        {
            case Modality.Image: ValidateImage(m); break;
            case Modality.Text: ValidateText(m); break;
            case Modality.Tensor: ValidateTensor(m); break;
        }
    }

    private static void ValidateImage(BackboneManifest m)
    {
        var image = m.Image ?? throw TransferException.Invalid("image", "an image backbone needs an \"image\" section");
        Require(m.Text is null && m.Tensor is null, "modality", "an image backbone has only an \"image\" section");
        Require(image.Input.Length > 0, "image.input", "must name the model input");
        Require(image.Width is > 0 and <= 8192, "image.width", "must be in 1..8192");
        Require(image.Height is > 0 and <= 8192, "image.height", "must be in 1..8192");
        Require(image.ChannelOrder is "rgb" or "bgr", "image.channelOrder", "must be \"rgb\" or \"bgr\"");
        Require(image.Mean.Length == 3, "image.mean", "must have 3 values");
        Require(image.Std.Length == 3 && image.Std.All(s => s > 0), "image.std", "must have 3 positive values");
        Require(image.Scale > 0 && float.IsFinite(image.Scale), "image.scale", "must be positive");
        Require(image.MaxPixels > 0, "image.maxPixels", "must be positive");
        Require(image.Background.Length == 3 && image.Background.All(v => v is >= 0 and <= 255), "image.background",
            "must be [r, g, b] with each value in 0..255");
        Require(m.Pooling is Pooling.None or Pooling.SpatialMean, "pooling", "an image backbone pools with \"none\" or \"spatial_mean\"");
    }

    private static void ValidateText(BackboneManifest m)
    {
        var text = m.Text ?? throw TransferException.Invalid("text", "a text backbone needs a \"text\" section");
        Require(m.Image is null && m.Tensor is null, "modality", "a text backbone has only a \"text\" section");
        Require(text.Tokenizer == "wordpiece", "text.tokenizer", "must be \"wordpiece\" (the only tokenizer supported)");
        Require(text.InputIds.Length > 0, "text.inputIds", "must name the model input");
        Require(text.AttentionMask.Length > 0, "text.attentionMask", "must name the model input");
        Require(text.MaxTokens is >= 3 and <= 8192, "text.maxTokens", "must be in 3..8192");
        Require(text.MaxCharacters > 0, "text.maxCharacters", "must be positive");
        Require(BackboneFile.IsConfined(text.Vocabulary), "text.vocabulary", "must be a relative path inside the backbone folder");
        Require(m.Pooling is Pooling.MaskedMean or Pooling.Cls or Pooling.None, "pooling",
            "a text backbone pools with \"masked_mean\", \"cls\" or \"none\"");
    }

    private static void ValidateTensor(BackboneManifest m)
    {
        var tensor = m.Tensor ?? throw TransferException.Invalid("tensor", "a tensor backbone needs a \"tensor\" section");
        Require(m.Image is null && m.Text is null, "modality", "a tensor backbone has only a \"tensor\" section");
        Require(tensor.Input.Length > 0, "tensor.input", "must name the model input");
        Require(tensor.Shape.Length > 0 && tensor.Shape.All(d => d > 0), "tensor.shape", "must list positive dimensions");
        // In double: a long product of huge dimensions wraps around and can look small.
        Require(tensor.Shape.Aggregate(1.0, (a, d) => a * d) <= 64_000_000, "tensor.shape", "is too large");
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition) throw TransferException.Invalid(field, $"backbone.json: {field} {message}");
    }
}
