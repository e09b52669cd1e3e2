using System.Globalization;

namespace TransferService.Cli.Output;

/// <summary>A fraction as a percentage with one decimal and no space before the sign ("83.4%"), whatever the
/// machine's culture, so the output reads and parses the same everywhere; "n/a" for NaN, which the service sends
/// where nothing was measured (an epoch without validation rows, a head with none held out).</summary>
public static class Percent
{
    public const string NotMeasured = "n/a";

    public static string Format(double fraction) =>
        double.IsNaN(fraction) ? NotMeasured : (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
