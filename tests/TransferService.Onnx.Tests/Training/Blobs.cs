using TransferService.Core.Heads;

namespace TransferService.Onnx.Tests.Training;

/// <summary>Gaussian blobs (σ = 1) around class centres 10 apart: separable by any reasonable head.</summary>
internal static class Blobs
{
    public const int Dimension = 16;
    public const int Classes = 3;

    public static TrainingData Make(int perClass, int seed)
    {
        var random = new Random(seed);
        var features = new float[perClass * Classes * Dimension];
        var labels = new int[perClass * Classes];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i % Classes;
            for (var k = 0; k < Dimension; k++)
                features[i * Dimension + k] = (float)(Centre(labels[i], k) + Normal(random));
        }
        return new TrainingData(features, labels, Dimension);
    }

    // Class c sits at 7·(e_c − e_{c+1}) (pairwise distance ≥ 10).
    private static double Centre(int label, int k) => k == label ? 7 : k == label + Classes ? -7 : 0;

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
