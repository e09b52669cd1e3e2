using Microsoft.ML;
using TransferService.Core.Heads;
using TransferService.Onnx.Training;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>Who runs, in table order: the service's head training with the config defaults, with tuned configs and
/// as TrainHead without config (the default search), then ML.NET's two maximum-entropy trainers with their defaults
/// and the cross-validated reference.</summary>
internal static class ContenderLineup
{
    public static IReadOnlyList<IContender> Create(OnnxHeadRuntime runtime, string lane) =>
    [
        new OnnxHeadContender(runtime, new TrainingConfig(), lane),
        .. TunedConfigs.Select(config => new OnnxHeadContender(runtime, config, lane)),
        new DefaultSearchContender(runtime, lane),
        new MlNetContender("ML.NET LbfgsMaximumEntropy", ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
        new MlNetContender("ML.NET SdcaMaximumEntropy", ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
        new CrossValidatedLbfgsContender(),
    ];

    // Picked from sweeps on this data (2-core CPU): lr 1e-2 at batch 128 reaches its best validation loss by epoch 16,
    // so 30 epochs, or early stopping with patience 5, are enough. Full batches (1600) lost 3.5 points, and patience 5
    // at lr 3e-3 stopped before the best epoch. Half a point is two of the 400 validation rows.
    private static readonly TrainingConfig[] TunedConfigs =
    [
        new() { Epochs = 30, BatchSize = 128, LearningRate = 1e-2f },
        new() { Epochs = 50, BatchSize = 128, LearningRate = 1e-2f, EarlyStoppingPatience = 5 },
        new() { Epochs = 20, BatchSize = 64, LearningRate = 3e-3f },
    ];
}
