namespace TransferService.Onnx.Text;

/// <summary>Text → ids exactly as Hugging Face's BERT tokenizer gives them: special tokens written in the text
/// ([CLS], [SEP], [MASK]…) are matched first, as written; the rest is normalised, split into words and each word
/// into WordPiece ids; then [CLS] … [SEP].</summary>
internal sealed class BertWordPieceTokenizer(WordPieceVocabulary vocabulary, bool lowercase)
{
    private static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly BertNormalizer _normalizer = new(lowercase);
    private readonly (string Token, int Id)[] _specialTokens = SpecialTokens
        .Select(token => (token, found: vocabulary.TryGetToken(token, out var id), id))
        .Where(special => special.found).Select(special => (special.token, special.id)).ToArray();

    public int Separator => vocabulary.Separator;

    public List<long> Encode(string text)
    {
        var ids = new List<long> { vocabulary.Classification };
        var segmentStart = 0;
        for (var i = text.IndexOf('['); i >= 0; i = text.IndexOf('[', i + 1))
        {
            if (!TryMatchSpecialToken(text, i, out var special)) continue;
            AddSegment(text[segmentStart..i], ids);
            ids.Add(special.Id);
            segmentStart = i + special.Token.Length;
            i = segmentStart - 1;
        }
        AddSegment(text[segmentStart..], ids);
        ids.Add(vocabulary.Separator);
        return ids;
    }

    private bool TryMatchSpecialToken(string text, int start, out (string Token, int Id) special)
    {
        foreach (var candidate in _specialTokens)
        {
            if (string.CompareOrdinal(text, start, candidate.Token, 0, candidate.Token.Length) != 0) continue;
            special = candidate;
            return true;
        }
        special = default;
        return false;
    }

    private void AddSegment(string segment, List<long> ids)
    {
        foreach (var word in BertPreTokenizer.Split(_normalizer.Normalize(segment))) vocabulary.AddWord(word, ids);
    }
}
