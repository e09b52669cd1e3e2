using System.Globalization;
using System.Text;

namespace TransferService.Onnx.Text;

/// <summary>Unicode general categories as the reference tokenizer sees them. Its tables (Rust crate
/// unicode_categories) are Unicode 8.0, so a character added since then is unassigned there: not punctuation,
/// not removed, not a stripped accent. Measured against the reference: U+2E42 (Unicode 7) splits a word,
/// U+2E44 (Unicode 9) does not.</summary>
internal static class ReferenceCategories
{
    /// <summary>The code points added after Unicode 8.0 whose category (.NET, Unicode 16) is punctuation, format,
    /// control, private use or non-spacing mark; neighbouring ranges are joined where every code point between is
    /// also newer than 8.0. Generated from Perl's Unicode::UCD prop_invlist("In=8.0").</summary>
    private static readonly (int First, int Last)[] NewerThanUnicode8 =
    [
        (0x061D, 0x061D), (0x07FD, 0x07FD), (0x0890, 0x089F), (0x08CA, 0x08E2), (0x09FD, 0x09FE), (0x0A76, 0x0A76),
        (0x0AFA, 0x0AFF), (0x0B55, 0x0B55), (0x0C04, 0x0C04), (0x0C3C, 0x0C3C), (0x0C77, 0x0C77), (0x0C84, 0x0C84),
        (0x0D00, 0x0D00), (0x0D3B, 0x0D3C), (0x0D81, 0x0D81), (0x0EBA, 0x0EBA), (0x0ECE, 0x0ECE), (0x180F, 0x180F),
        (0x1ABF, 0x1ACE), (0x1B4E, 0x1B4F), (0x1B7D, 0x1B7F), (0x1DF6, 0x1DFB), (0x2E43, 0x2E5D), (0xA82C, 0xA82C),
        (0xA8C5, 0xA8C5), (0xA8FF, 0xA8FF), (0x10D24, 0x10D6E), (0x10EAB, 0x10F89), (0x11070, 0x11074), (0x110C2, 0x110CD),
        (0x111CF, 0x111CF), (0x1123E, 0x11241), (0x1133B, 0x1133B), (0x113BB, 0x1145E), (0x11660, 0x1166C), (0x116B9, 0x116B9),
        (0x1182F, 0x1183B), (0x1193B, 0x11AA2), (0x11B00, 0x11FFF), (0x12FF1, 0x12FF2), (0x13430, 0x13455), (0x1611E, 0x1612F),
        (0x16D6D, 0x16E9A), (0x16F4F, 0x16F4F), (0x16FE2, 0x16FE4), (0x1CF00, 0x1CF46), (0x1E000, 0x1E5FF), (0x1E944, 0x1E95F),
    ];

    public static UnicodeCategory Of(Rune rune) =>
        IsNewerThanUnicode8(rune.Value) ? UnicodeCategory.OtherNotAssigned : Rune.GetUnicodeCategory(rune);

    private static bool IsNewerThanUnicode8(int codePoint)
    {
        if (codePoint < NewerThanUnicode8[0].First) return false;
        int low = 0, high = NewerThanUnicode8.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var (first, last) = NewerThanUnicode8[middle];
            if (codePoint < first) high = middle - 1;
            else if (codePoint > last) low = middle + 1;
            else return true;
        }
        return false;
    }
}
