namespace TransferService.Core.Jobs;

/// <summary>Runs the jobs of one kind ("train_head", "extract_features"). The runner calls it for a job it has claimed,
/// on a first run and again after a crash or a retry: a handler resumes from <see cref="IJobContext.Checkpoint"/>, and
/// publishes its artifact (a head version, an output file) exactly once, whatever attempt gets there.</summary>
public interface IJobHandler
{
    string Kind { get; }

    /// <summary>Does the job's work and returns what it made ("spam v3"). Stops when <paramref name="cancellationToken"/>
    /// is cancelled (a cancel, a lost lease, shutdown), publishing nothing it has not already published.
    /// A <see cref="Errors.TransferException"/> fails the job with its code, message and field.</summary>
    Task<string> RunAsync(IJobContext context, CancellationToken cancellationToken);
}
