using Spectre.Console;
using TransferService.Client;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Output;

/// <summary>Follows a job with a live progress bar whose caption carries the stage, epoch, training loss and
/// validation accuracy; prints the outcome when it ends.</summary>
public static class JobProgressBar
{
    public static async Task<Job> FollowAsync(IAnsiConsole console, TransferClient client, string jobId, CancellationToken cancellationToken)
    {
        Job? last = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(jobId), maxValue: 1.0);
                await foreach (var job in client.WatchJobAsync(jobId, cancellationToken))
                {
                    last = job;
                    task.Description = Markup.Escape($"{JobText.State(job.State)} {JobText.Progress(job.Progress)}");
                    task.Value = job.State == JobState.Succeeded ? 1.0 : job.Progress?.Fraction ?? 0;
                }
                task.StopTask();
            });
        return last ?? throw new InvalidDataException($"the server sent no state for job {jobId}");
    }

    /// <summary>Prints the last epoch's numbers and the outcome; 0 for a success, 1 otherwise.</summary>
    public static int Report(IAnsiConsole console, Job job)
    {
        console.WriteLine(JobText.Line(job));
        return job.State == JobState.Succeeded ? 0 : 1;
    }
}
