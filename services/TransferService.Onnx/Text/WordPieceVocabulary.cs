using System.Text;
using TransferService.Core.Errors;

namespace TransferService.Onnx.Text;

/// <summary>A vocab.txt (one token a line, id = line number) and Hugging Face's WordPiece model over it:
/// greedy longest match first, "##" on pieces after the first; a word over 100 characters, or one with a
/// part the vocabulary lacks, is [UNK] as a whole.</summary>
internal sealed class WordPieceVocabulary
{
    private const string ContinuingPrefix = "##";
    private const int MaxCharactersPerWord = 100;

    private readonly Dictionary<string, int> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordStarts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;
    private readonly int _longestToken;
    private readonly int _longestContinuation;

    public WordPieceVocabulary(byte[] vocabFile, string field)
    {
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = new StringReader(Encoding.UTF8.GetString(vocabFile));
        var id = 0;
        // As the reference reads it: trailing white space trimmed, a repeated token keeps its last line.
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine(), id++)
        {
            var token = line.TrimEnd();
            _tokens[token] = id;
            _longestToken = Math.Max(_longestToken, token.Length);
            if (!token.StartsWith(ContinuingPrefix, StringComparison.Ordinal)) continue;
            continuations[token[ContinuingPrefix.Length..]] = id;
            _longestContinuation = Math.Max(_longestContinuation, token.Length - ContinuingPrefix.Length);
        }
        Size = id;
        _wordStarts = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        Unknown = Require("[UNK]", field);
        Classification = Require("[CLS]", field);
        Separator = Require("[SEP]", field);
    }

    /// <summary>Lines in the file: ids run from 0 to Size − 1.</summary>
    public int Size { get; }
    public int Unknown { get; }
    public int Classification { get; }
    public int Separator { get; }

    /// <summary>The id of a whole token (a special token such as [MASK]), if the vocabulary has it.</summary>
    public bool TryGetToken(string token, out int id) => _tokens.TryGetValue(token, out id);

    public void AddWord(string word, List<long> ids)
    {
        var first = ids.Count;
        // Characters are code points: a word of 101 UTF-16 units may still be 100 characters.
        if (word.Length > MaxCharactersPerWord && word.EnumerateRunes().Take(MaxCharactersPerWord + 1).Count() > MaxCharactersPerWord)
        {
            ids.Add(Unknown);
            return;
        }
        for (var start = 0; start < word.Length;)
        {
            var pieces = start == 0 ? _wordStarts : _continuations;
            // No piece is longer than the longest token, so shorter candidates are the only ones worth a lookup.
            var end = Math.Min(word.Length, start + (start == 0 ? _longestToken : _longestContinuation));
            if (end < word.Length && char.IsLowSurrogate(word[end])) end--;
            var id = -1;
            while (end > start && !pieces.TryGetValue(word.AsSpan(start, end - start), out id))
                end -= char.IsLowSurrogate(word[end - 1]) ? 2 : 1;
            if (end == start)
            {
                ids.RemoveRange(first, ids.Count - first);
                ids.Add(Unknown);
                return;
            }
            ids.Add(id);
            start = end;
        }
    }

    private int Require(string token, string field) => _tokens.TryGetValue(token, out var id)
        ? id
        : throw TransferException.Invalid(field, $"backbone.json: {field} has no {token} token");
}
