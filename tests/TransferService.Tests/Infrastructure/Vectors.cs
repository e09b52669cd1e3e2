using TransferService.Contracts.V1;

namespace TransferService.Tests.Infrastructure;

public static class Vectors
{
    public static float[] Row(EmbedResponse response, int index) =>
        response.Embeddings.Skip(index * (int)response.Dimension).Take((int)response.Dimension).ToArray();

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    public static double RelativeError(float[] a, float[] b)
    {
        double diff = 0, norm = 0;
        for (var i = 0; i < a.Length; i++) { diff += (a[i] - b[i]) * (double)(a[i] - b[i]); norm += b[i] * (double)b[i]; }
        return Math.Sqrt(diff / norm);
    }
}
