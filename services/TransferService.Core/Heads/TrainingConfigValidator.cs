using System.Globalization;
using TransferService.Core.Errors;
using TransferService.Core.Jobs;

namespace TransferService.Core.Heads;

/// <summary>Range checks on training hyperparameters, and the cost limits of a run; each rejection names the field.</summary>
public static class TrainingConfigValidator
{
    /// <param name="field">The request field that holds the config: "config" or "candidates[i]".</param>
    public static void Validate(TrainingConfig c, string field = "config")
    {
        Require(c.Epochs is >= 1 and <= 100_000, $"{field}.epochs", "must be in 1..100000");
        Require(c.MaxSteps >= 0, $"{field}.max_steps", "must not be negative");
        Require(c.BatchSize is >= 1 and <= 65_536, $"{field}.batch_size", "must be in 1..65536");
        Require(c.LearningRate > 0 && c.LearningRate <= 10 && float.IsFinite(c.LearningRate), $"{field}.learning_rate", "must be in (0, 10]");
        Require(c.WeightDecay >= 0 && c.WeightDecay <= 1, $"{field}.weight_decay", "must be in [0, 1]");
        Require(c.LabelSmoothing >= 0 && c.LabelSmoothing < 1, $"{field}.label_smoothing", "must be in [0, 1)");
        Require(c.Dropout >= 0 && c.Dropout < 1, $"{field}.dropout", "must be in [0, 1)");
        Require(c.ValidationFraction > 0 && c.ValidationFraction < 1, $"{field}.validation_fraction", "must be in (0, 1)");
        Require(c.EarlyStoppingPatience >= 0, $"{field}.early_stopping_patience", "must not be negative");
        if (c.Architecture == HeadArchitecture.Mlp)
        {
            Require(c.HiddenSizes.Length is >= 1 and <= 4, $"{field}.hidden_sizes", "an MLP needs 1 to 4 hidden layers");
            Require(c.HiddenSizes.All(h => h is >= 1 and <= 8192), $"{field}.hidden_sizes", "each hidden size must be in 1..8192");
        }
    }

    /// <summary>Refuses a run whose estimated cost is over a limit, naming the field that drives it, the computed
    /// value and the limit.</summary>
    public static void CheckCost(TrainingConfig c, TrainingCost cost, JobOptions limits, string field = "config")
    {
        if (cost.Parameters > limits.MaxHeadParameters)
            throw OverLimit(c.Architecture == HeadArchitecture.Mlp ? $"{field}.hidden_sizes" : "dataset_id",
                $"the head would have {N(cost.Parameters)} parameters", nameof(limits.MaxHeadParameters), limits.MaxHeadParameters);
        if (cost.Steps > limits.MaxTrainingSteps)
            throw c.MaxSteps > 0 && c.MaxSteps == cost.Steps
                ? OverLimit($"{field}.max_steps", $"max_steps asks for {N(cost.Steps)} optimizer steps", nameof(limits.MaxTrainingSteps), limits.MaxTrainingSteps)
                : OverLimit($"{field}.epochs", $"{N(c.Epochs)} epochs of {N(cost.StepsPerEpoch)} steps (batch_size {N(c.BatchSize)}) make {N(cost.Steps)} optimizer steps",
                    nameof(limits.MaxTrainingSteps), limits.MaxTrainingSteps);
        if (cost.Bytes > limits.MaxTrainingBytes)
        {
            var driver = MemoryDriver(c, cost, field);
            var side = cost.Heads > 1 ? $"{cost.Heads} linear candidates that differ only in learning_rate and weight_decay train side by side as one run; " : "";
            throw OverLimit(driver, side + $"training would hold {N(cost.Bytes)} bytes (parameters and optimizer state {N(cost.StateBytes)}, " +
                $"activations {N(cost.ActivationBytes)}, embeddings {N(cost.EmbeddingBytes)}, neighbour index {N(cost.IndexBytes)})",
                nameof(limits.MaxTrainingBytes), limits.MaxTrainingBytes);
        }
    }

    /// <summary>The request field behind the largest share of a run's memory: the number of candidates side by side,
    /// the head's size, the batch, or the data (embeddings and the neighbour index grow with the dataset).</summary>
    private static string MemoryDriver(TrainingConfig c, TrainingCost cost, string field)
    {
        var data = Math.Max(cost.EmbeddingBytes, cost.IndexBytes);
        if (cost.Heads > 1 && cost.StateBytes + cost.ActivationBytes >= data)
            return field.StartsWith("candidates", StringComparison.Ordinal) ? "candidates" : field;
        if (cost.StateBytes >= Math.Max(cost.ActivationBytes, data))
            return c.Architecture == HeadArchitecture.Mlp ? $"{field}.hidden_sizes" : "dataset_id";
        return cost.ActivationBytes >= data ? $"{field}.batch_size" : "dataset_id";
    }

    private static TransferException OverLimit(string field, string cost, string limit, long value) =>
        TransferException.Invalid(field, $"{field}: {cost}; the limit {JobOptions.Section}:{limit} is {N(value)}");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void Require(bool condition, string field, string message)
    {
        if (!condition) throw TransferException.Invalid(field, $"{field} {message}");
    }
}
