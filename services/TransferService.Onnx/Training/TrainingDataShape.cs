using TransferService.Core.Heads;

namespace TransferService.Onnx.Training;

/// <summary>Shape checks that guard the graphs from data they cannot take. Core validates what users send; these
/// only fire on a bug upstream, as <see cref="ArgumentException"/>.</summary>
internal static class TrainingDataShape
{
    public static void Check(TrainingData train, TrainingData validation, int classes, TrainingConfig config)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "a head needs at least one class");
        if (train.Count == 0) throw new ArgumentException("the training split is empty", nameof(train));
        CheckData(train, classes, nameof(train));
        if (validation.Count > 0)
        {
            CheckData(validation, classes, nameof(validation));
            if (validation.Dimension != train.Dimension)
                throw new ArgumentException($"validation embeddings have {validation.Dimension} dimensions, training {train.Dimension}", nameof(validation));
        }
        if (config.BatchSize < 1) throw new ArgumentException("the batch size must be at least 1", nameof(config));
        if (config.Dropout is < 0 or >= 1) throw new ArgumentException("dropout must be in [0, 1)", nameof(config));
        if (config.Architecture == HeadArchitecture.Mlp && (config.HiddenSizes.Length == 0 || config.HiddenSizes.Any(h => h < 1)))
            throw new ArgumentException("an MLP head needs hidden layers of at least one unit", nameof(config));
    }

    private static void CheckData(TrainingData data, int classes, string name)
    {
        if (data.Dimension < 1 || data.Features.Length != (long)data.Count * data.Dimension)
            throw new ArgumentException($"{data.Features.Length} features are not {data.Count} embeddings of {data.Dimension}", name);
        foreach (var label in data.Labels)
            if ((uint)label >= (uint)classes) throw new ArgumentException($"label {label} is not in 0..{classes - 1}", name);
    }
}
