using System.Globalization;
using System.Text;

namespace TransferService.Onnx.Text;

/// <summary>Hugging Face's BertPreTokenizer: words are split at white space (dropped) and at every
/// punctuation character, which becomes a word of its own. Punctuation is any Unicode P* character and every
/// ASCII symbol (33–47, 58–64, 91–96, 123–126: so $ + &lt; = &gt; ^ ` | ~ too).</summary>
internal static class BertPreTokenizer
{
    public static List<string> Split(string normalized)
    {
        var words = new List<string>();
        var wordStart = 0;
        var position = 0;
        foreach (var rune in normalized.EnumerateRunes())
        {
            var next = position + rune.Utf16SequenceLength;
            var whiteSpace = Rune.IsWhiteSpace(rune);
            if (whiteSpace || IsPunctuation(rune))
            {
                if (position > wordStart) words.Add(normalized[wordStart..position]);
                if (!whiteSpace) words.Add(normalized[position..next]);
                wordStart = next;
            }
            position = next;
        }
        if (position > wordStart) words.Add(normalized[wordStart..position]);
        return words;
    }

    private static bool IsPunctuation(Rune rune) =>
        rune.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || ReferenceCategories.Of(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
