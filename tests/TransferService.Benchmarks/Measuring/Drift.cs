namespace TransferService.Benchmarks.Measuring;

/// <summary>How far two runs' embeddings of the same inputs (row-major, <c>rows</c> rows) are apart.</summary>
internal static class Drift
{
    public static double LowestCosine(float[] actual, float[] expected, int rows) =>
        PerRow(actual, expected, rows, (a, b) => Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b))).Min();

    /// <summary>‖a−b‖/‖b‖, the worst row.</summary>
    public static double HighestRelativeError(float[] actual, float[] expected, int rows) =>
        PerRow(actual, expected, rows, (a, b) =>
        {
            var difference = a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();
            return Math.Sqrt(difference / Dot(b, b));
        }).Max();

    private static IEnumerable<double> PerRow(float[] actual, float[] expected, int rows, Func<float[], float[], double> measure)
    {
        var dimension = expected.Length / rows;
        for (var row = 0; row < rows; row++)
            yield return measure(actual.AsSpan(row * dimension, dimension).ToArray(), expected.AsSpan(row * dimension, dimension).ToArray());
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
