using System.Security.Cryptography;
using System.Text.Json;
using TransferService.Core.Backbones;
using TransferService.Onnx.Text;

namespace TransferService.Onnx.Export;

/// <summary>The backbone manifest's input contract as JSON: everything the service does to an input before the
/// first node of the exported graph, so a caller outside the service can reproduce it.</summary>
internal static class ExportPreprocessing
{
    public static string Describe(BackboneManifest backbone, string backboneFolder) => backbone.Modality switch
    {
        Modality.Image => JsonSerializer.Serialize(Image(backbone.Image!)),
        Modality.Text => JsonSerializer.Serialize(Text(backbone.Text!, backboneFolder)),
        _ => JsonSerializer.Serialize(Tensor(backbone.Tensor!)),
    };

    private static object Image(ImageSpec image) => new
    {
        modality = "image",
        input = image.Input,
        tensor = "float32 [N, 3, height, width], planar",
        background = image.Background,
        alpha = "unpremultiplied alpha composited onto background first: out = a*c + (1-a)*bg, a = alpha/255, rounded to 0..255",
        resize = "stretch to width x height, bilinear, after compositing",
        width = image.Width,
        height = image.Height,
        channelOrder = image.ChannelOrder,
        value = "(pixel * scale - mean[c]) / std[c], pixel in 0..255, c in channelOrder",
        scale = image.Scale,
        mean = image.Mean,
        std = image.Std,
    };

    private static object Text(TextSpec text, string backboneFolder)
    {
        var bytes = BackboneFile.ReadAllBytes(backboneFolder, text.Vocabulary, "text.vocabulary", BackboneFile.MaxVocabularyBytes);
        // Read by the tokenizer's own vocabulary class, so the ids written here are the ids the service feeds.
        var vocabulary = new WordPieceVocabulary(bytes, "text.vocabulary");
        return new
        {
            modality = "text",
            tokenizer = text.Tokenizer,
            vocabulary = new
            {
                file = text.Vocabulary,
                size = vocabulary.Size,
                sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                clsId = vocabulary.Classification,
                sepId = vocabulary.Separator,
                unkId = vocabulary.Unknown,
            },
            lowercase = text.Lowercase,
            maxTokens = text.MaxTokens,
            truncate = text.Truncate,
            specialTokens = "[CLS] first and [SEP] last; a text cut to maxTokens keeps [SEP] as its last token",
            inputIds = text.InputIds,
            attentionMask = text.AttentionMask,
            tokenTypeIds = text.TokenTypeIds,
            tensor = "int64 [N, S] each, S the longest text of the batch; padding has id 0 and mask 0; token type ids are all 0",
        };
    }

    private static object Tensor(TensorSpec tensor) => new
    {
        modality = "tensor",
        input = tensor.Input,
        shape = tensor.Shape,
        tensor = "float32 [N, ...shape]",
    };
}
