namespace TransferService.Onnx.Tests.Sessions;

internal static class Rows
{
    /// <summary>The largest per-row relative L2 error ‖a−b‖/‖b‖ between two row-major [N, dimension] matrices.</summary>
    public static double MaxRelativeError(float[] actual, float[] expected, int dimension)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var row = 0; row < expected.Length / dimension; row++)
        {
            double difference = 0, norm = 0;
            for (var d = row * dimension; d < (row + 1) * dimension; d++)
            {
                difference += Math.Pow(actual[d] - expected[d], 2);
                norm += Math.Pow(expected[d], 2);
            }
            worst = Math.Max(worst, Math.Sqrt(difference / norm));
        }
        return worst;
    }

    /// <summary>Each row scaled to unit L2 norm, as the service returns a normalising backbone's embeddings.</summary>
    public static float[] Normalized(float[] rows, int dimension)
    {
        var result = (float[])rows.Clone();
        for (var start = 0; start < result.Length; start += dimension)
        {
            var row = result.AsSpan(start, dimension);
            var norm = Math.Sqrt(row.ToArray().Sum(v => (double)v * v));
            foreach (ref var v in row) v = (float)(v / norm);
        }
        return result;
    }
}
