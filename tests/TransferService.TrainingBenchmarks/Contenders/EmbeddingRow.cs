using Microsoft.ML.Data;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>One embedding as ML.NET reads it: the 512 floats and the class index (mapped to a key by the pipeline).</summary>
internal sealed class EmbeddingRow
{
    [VectorType(512)]
    public float[] Features { get; set; } = [];
    public uint Label { get; set; }

    public static IEnumerable<EmbeddingRow> From(Core.Heads.TrainingData data)
    {
        for (var i = 0; i < data.Count; i++)
            yield return new EmbeddingRow
            {
                Features = data.Features.AsSpan(i * data.Dimension, data.Dimension).ToArray(),
                Label = (uint)data.Labels[i],
            };
    }
}
