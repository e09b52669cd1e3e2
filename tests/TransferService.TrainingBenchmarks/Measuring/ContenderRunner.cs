using System.Diagnostics;
using TransferService.TrainingBenchmarks.Contenders;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Measuring;

/// <summary>Runs every contender once per round, rounds one after another, so a drift in the machine's speed
/// touches all contenders alike; the first round pays JIT and native start-up, which the median drops.</summary>
internal static class ContenderRunner
{
    public static IReadOnlyList<ContenderResult> Run(IReadOnlyList<IContender> contenders, BenchmarkSplit split, int rounds)
    {
        var seconds = contenders.Select(_ => new List<double>()).ToArray();
        var outcomes = contenders.Select(_ => new List<ContenderOutcome>()).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            for (var i = 0; i < contenders.Count; i++)
            {
                // Garbage left by the previous contender is not this one's cost.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var watch = Stopwatch.StartNew();
                var outcome = contenders[i].TrainAndEvaluate(split);
                watch.Stop();
                seconds[i].Add(watch.Elapsed.TotalSeconds);
                outcomes[i].Add(outcome);
                Console.Error.WriteLine($"round {round}/{rounds}: {contenders[i].Name}: {outcome.Accuracy:P2} in {watch.Elapsed.TotalSeconds:F2} s {outcome.Detail}");
            }
        }
        return contenders.Select((c, i) => new ContenderResult(c, seconds[i], outcomes[i])).ToArray();
    }
}
