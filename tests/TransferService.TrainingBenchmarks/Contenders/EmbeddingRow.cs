using Microsoft.ML;
using Microsoft.ML.Data;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>One embedding as ML.NET reads it: the floats and the class index (mapped to a key by the pipeline).</summary>
internal sealed class EmbeddingRow
{
    public float[] Features { get; set; } = [];
    public uint Label { get; set; }

    /// <summary>The rows as a data view whose feature column has the data's dimension (512 for resnet18, 384 for minilm).</summary>
    public static IDataView Load(MLContext ml, Core.Heads.TrainingData data)
    {
        var schema = SchemaDefinition.Create(typeof(EmbeddingRow));
        schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.Dimension);
        return ml.Data.LoadFromEnumerable(From(data), schema);
    }

    private static IEnumerable<EmbeddingRow> From(Core.Heads.TrainingData data)
    {
        for (var i = 0; i < data.Count; i++)
            yield return new EmbeddingRow
            {
                Features = data.Features.AsSpan(i * data.Dimension, data.Dimension).ToArray(),
                Label = (uint)data.Labels[i],
            };
    }
}
