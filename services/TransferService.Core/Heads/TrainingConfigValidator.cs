using TransferService.Core.Errors;

namespace TransferService.Core.Heads;

/// <summary>Range checks on training hyperparameters; each rejection names the config field.</summary>
public static class TrainingConfigValidator
{
    public static void Validate(TrainingConfig c)
    {
        Require(c.Epochs is >= 1 and <= 100_000, "config.epochs", "must be in 1..100000");
        Require(c.MaxSteps >= 0, "config.max_steps", "must not be negative");
        Require(c.BatchSize is >= 1 and <= 65_536, "config.batch_size", "must be in 1..65536");
        Require(c.LearningRate > 0 && c.LearningRate <= 10 && float.IsFinite(c.LearningRate), "config.learning_rate", "must be in (0, 10]");
        Require(c.WeightDecay >= 0 && c.WeightDecay <= 1, "config.weight_decay", "must be in [0, 1]");
        Require(c.LabelSmoothing >= 0 && c.LabelSmoothing < 1, "config.label_smoothing", "must be in [0, 1)");
        Require(c.Dropout >= 0 && c.Dropout < 1, "config.dropout", "must be in [0, 1)");
        Require(c.ValidationFraction > 0 && c.ValidationFraction < 1, "config.validation_fraction", "must be in (0, 1)");
        Require(c.EarlyStoppingPatience >= 0, "config.early_stopping_patience", "must not be negative");
        if (c.Architecture == HeadArchitecture.Mlp)
        {
            Require(c.HiddenSizes.Length is >= 1 and <= 4, "config.hidden_sizes", "an MLP needs 1 to 4 hidden layers");
            Require(c.HiddenSizes.All(h => h is >= 1 and <= 8192), "config.hidden_sizes", "each hidden size must be in 1..8192");
        }
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition) throw TransferException.Invalid(field, $"{field} {message}");
    }
}
