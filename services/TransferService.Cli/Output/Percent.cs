using System.Globalization;

namespace TransferService.Cli.Output;

/// <summary>A fraction as a percentage with one decimal and no space before the sign ("83.4%"), whatever the
/// machine's culture, so the output reads and parses the same everywhere.</summary>
public static class Percent
{
    public static string Format(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
