using TransferService.Core.Inputs;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>One dataset of the reference suite: its backbone and its train and test items with their labels.</summary>
internal sealed record LabelledSet(string Name, string Backbone, string[] LabelNames,
    IReadOnlyList<EmbeddingInput> TrainInputs, int[] TrainLabels, IReadOnlyList<EmbeddingInput> TestInputs, int[] TestLabels)
{
    /// <summary>Labels as indices into <paramref name="names"/>, in the order the items came.</summary>
    public static LabelledSet From(string name, string backbone, IReadOnlyList<(EmbeddingInput Input, string Label)> train,
        IReadOnlyList<(EmbeddingInput Input, string Label)> test)
    {
        var names = train.Select(t => t.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        int Index(string label) => Array.IndexOf(names, label);
        return new LabelledSet(name, backbone, names, train.Select(t => t.Input).ToArray(), train.Select(t => Index(t.Label)).ToArray(),
            test.Select(t => t.Input).ToArray(), test.Select(t => Index(t.Label)).ToArray());
    }
}
