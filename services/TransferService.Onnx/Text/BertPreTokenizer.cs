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
        var word = new StringBuilder();
        foreach (var rune in normalized.EnumerateRunes())
        {
            var whiteSpace = Rune.IsWhiteSpace(rune);
            var punctuation = !whiteSpace && IsPunctuation(rune);
            if (!whiteSpace && !punctuation)
            {
                word.Append(rune.ToString());
                continue;
            }
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
            if (punctuation) words.Add(rune.ToString());
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }

    private static bool IsPunctuation(Rune rune) =>
        rune.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || ReferenceCategories.Of(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
