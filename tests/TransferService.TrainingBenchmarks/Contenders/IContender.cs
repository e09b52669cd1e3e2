using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Contenders;

/// <summary>One way to train a classifier on the split's train rows and score it on its validation rows.</summary>
internal interface IContender
{
    string Name { get; }
    /// <summary>True for the ML.NET trainers, the baseline the goal is measured against.</summary>
    bool IsMlNet { get; }

    /// <summary>Trains from scratch and returns the validation accuracy; everything it does is timed.</summary>
    ContenderOutcome TrainAndEvaluate(BenchmarkSplit split);
}
