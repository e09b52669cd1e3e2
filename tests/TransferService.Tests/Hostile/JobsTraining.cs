using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Training requests for the job tests: short labelled texts for minilm (cheap to embed, cached after the
/// first upload), and a run long enough to still be training when a test cancels it.</summary>
public static class JobsTraining
{
    /// <summary>Linear head, batch 1: 20,000 epochs of the 80 training rows of <see cref="Reviews"/>(100) make
    /// 1,600,000 steps — within Jobs:MaxTrainingSteps, and minutes of training.</summary>
    public static TrainingConfig LongRun => new() { Epochs = 20_000, BatchSize = 1 };

    public static IEnumerable<(Input Input, string Label)> Reviews(int count) =>
        Enumerable.Range(0, count).Select(i => i % 2 == 0
            ? (HeadWorkflow.Text($"review {i}: a wonderful film, I loved it"), "pos")
            : (HeadWorkflow.Text($"review {i}: a dull film, I left early"), "neg"));

    public static TrainHeadRequest Request(string name, string datasetId, TrainingConfig config) =>
        new() { Name = name, Backbone = "minilm", DatasetId = datasetId, Config = config };

    /// <summary>Reads <paramref name="watch"/> until a snapshot satisfies <paramref name="condition"/> or the job ends.</summary>
    public static async Task<Job> WatchUntilAsync(AsyncServerStreamingCall<WatchJobResponse> watch, Func<Job, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Job job = null!;
        while (await watch.ResponseStream.MoveNext(timeout.Token))
        {
            job = watch.ResponseStream.Current.Job;
            if (condition(job) || job.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled) break;
        }
        return job;
    }

    /// <summary>Cancels whatever of <paramref name="ids"/> is still active, so a failed test leaves the shared server's
    /// runner free for the next.</summary>
    public static async Task CancelActiveAsync(JobService.JobServiceClient jobs, IEnumerable<string> ids)
    {
        // Newest first: a queued job cancelled before the running one ahead of it never starts.
        foreach (var id in ids.Reverse())
        {
            try { await jobs.CancelJobAsync(new CancelJobRequest { JobId = id }); }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition) { }
        }
    }
}
