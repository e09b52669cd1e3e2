using TransferService.Core.Heads;

namespace TransferService.TrainingBenchmarks.Dataset;

/// <summary>The train and validation rows every contender gets: the service's stratified split, 20 % held out, seed 0.</summary>
internal sealed record BenchmarkSplit(TrainingData Train, TrainingData Validation, int Classes)
{
    public static BenchmarkSplit Stratified(TrainingData all, int classes)
    {
        var (train, validation) = StratifiedSplit.Split(all.Labels, 0.2f, seed: 0);
        return new BenchmarkSplit(Rows(all, train), Rows(all, validation), classes);
    }

    private static TrainingData Rows(TrainingData all, int[] rows)
    {
        var features = new float[rows.Length * all.Dimension];
        for (var i = 0; i < rows.Length; i++)
            all.Features.AsSpan(rows[i] * all.Dimension, all.Dimension).CopyTo(features.AsSpan(i * all.Dimension));
        return new TrainingData(features, rows.Select(r => all.Labels[r]).ToArray(), all.Dimension);
    }
}
