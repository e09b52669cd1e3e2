using System.Globalization;
using System.Text;

namespace TransferService.Onnx.Text;

/// <summary>Hugging Face's BertNormalizer (clean_text, handle_chinese_chars, strip_accents following lowercase,
/// lowercase), step for step, so the model sees the characters it was trained on.</summary>
internal sealed class BertNormalizer(bool lowercase)
{
    public string Normalize(string text)
    {
        var cleaned = new StringBuilder(text.Length + 16);
        var next = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var at = next;
            next += rune.Utf16SequenceLength;
            if (IsRemoved(rune)) continue;
            if (Rune.IsWhiteSpace(rune)) cleaned.Append(' ');
            // Ideographs are words of their own: the vocabulary holds them one by one.
            else if (IsChineseCharacter(rune)) cleaned.Append(' ').Append(text, at, next - at).Append(' ');
            else cleaned.Append(text, at, next - at);
        }
        if (!lowercase) return cleaned.ToString();

        // Accents go with case (the reference leaves strip_accents unset): decompose, drop the marks, lower-case.
        var decomposed = Decompose(cleaned.ToString());
        var result = new StringBuilder(decomposed.Length);
        Span<char> lower = stackalloc char[2];
        foreach (var rune in decomposed.EnumerateRunes())
            if (ReferenceCategories.Of(rune) != UnicodeCategory.NonSpacingMark)
                result.Append(lower[..Rune.ToLowerInvariant(rune).EncodeToUtf16(lower)]);
        return result.ToString();
    }

    /// <summary>Canonical decomposition (NFD), with U+FFFE kept as it is: .NET refuses to normalise a string holding it
    /// (the only code point it refuses), while the reference keeps it (it becomes [UNK]). It is a starter that
    /// decomposes to itself, so the parts around it decompose on their own to the same result.</summary>
    private static string Decompose(string text) => text.Contains('\uFFFE')
        ? string.Join('\uFFFE', text.Split('\uFFFE').Select(part => part.Normalize(NormalizationForm.FormD)))
        : text.Normalize(NormalizationForm.FormD);

    /// <summary>NUL, U+FFFD and "other" characters (control, format, private use) other than tab and line
    /// breaks, which count as white space. Unassigned code points stay, as in the reference.</summary>
    private static bool IsRemoved(Rune rune) => rune.Value is 0 or 0xFFFD
        || (rune.Value is not ('\t' or '\n' or '\r') && ReferenceCategories.Of(rune) is
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse);

    /// <summary>The CJK ideograph blocks the reference pads with spaces (its table, gaps included).</summary>
    private static bool IsChineseCharacter(Rune rune) => rune.Value is
        >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
        or >= 0x2B740 and <= 0x2B81F or >= 0x2B920 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
