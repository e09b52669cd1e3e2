using TransferService.Core.Jobs;

namespace TransferService.Core.Heads;

/// <summary>The handler of training jobs: runs the command stored by <see cref="HeadTrainingService.Submit"/>.
/// A resumed job trains from the start: its embeddings come from the cache (no backbone pass for rows already
/// embedded) and a head trains in seconds, so a checkpoint would save little and cost a format to keep.</summary>
public sealed class TrainHeadJob(HeadTrainingService training) : IJobHandler
{
    public string Kind => HeadTrainingService.JobKind;

    public Task<string> RunAsync(IJobContext context, CancellationToken cancellationToken) => training.RunAsync(context, cancellationToken);
}
