using System.Buffers;
using System.Text;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Onnx.Text;

namespace TransferService.Onnx.Preprocessing;

/// <summary>Text → WordPiece ids ([CLS] … [SEP]) with the backbone's vocabulary, as Hugging Face's BERT tokenizer
/// gives them (tests/reference holds the reference and the corpus they are checked on). Texts over the token limit
/// are cut (keeping [SEP]) and reported as truncated, or refused when the manifest says so.</summary>
internal sealed class TextPreparer : IInputPreparer
{
    private readonly TextSpec _spec;
    private readonly BertWordPieceTokenizer _tokenizer;

    public TextPreparer(TextSpec spec, string folder)
    {
        _spec = spec;
        const string field = "text.vocabulary";
        var vocabulary = new WordPieceVocabulary(
            BackboneFile.ReadAllBytes(folder, spec.Vocabulary, field, BackboneFile.MaxVocabularyBytes), field);
        _tokenizer = new BertWordPieceTokenizer(vocabulary, spec.Lowercase);
    }

    public PreparedInput Prepare(EmbeddingInput input)
    {
        if (input is not TextInput { Text: var text })
            throw TransferException.Invalid("input", $"this backbone takes text, not {InputKinds.Describe(input)}");
        if (string.IsNullOrWhiteSpace(text)) throw TransferException.Invalid("text", "text is empty");
        if (text.Length > _spec.MaxCharacters)
            throw TransferException.Invalid("text", $"text has {text.Length} characters; the limit is {_spec.MaxCharacters}");
        // Unicode normalisation throws on a lone surrogate (a stored dataset can hold one).
        if (!IsWellFormed(text)) throw TransferException.Invalid("text", "text is not valid Unicode: it has an unpaired surrogate");

        var ids = _tokenizer.Encode(text);
        var truncated = ids.Count > _spec.MaxTokens;
        if (truncated && !_spec.Truncate)
            throw TransferException.Invalid("text", $"text is {ids.Count} tokens; this backbone takes at most {_spec.MaxTokens}");
        var length = truncated ? _spec.MaxTokens : ids.Count;
        var tokens = new long[length];
        for (var i = 0; i < length; i++) tokens[i] = ids[i];
        if (truncated) tokens[^1] = _tokenizer.Separator;
        return new PreparedTokens(tokens) { Report = new InputReport(length, truncated) };
    }

    private static bool IsWellFormed(string text)
    {
        var rest = text.AsSpan();
        while (rest.IndexOfAnyInRange('\uD800', '\uDFFF') is var surrogate and >= 0)
        {
            if (Rune.DecodeFromUtf16(rest[surrogate..], out _, out var used) != OperationStatus.Done) return false;
            rest = rest[(surrogate + used)..];
        }
        return true;
    }
}
