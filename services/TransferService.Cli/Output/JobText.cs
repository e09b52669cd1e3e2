using System.Globalization;
using Grpc.Core;
using TransferService.Client.Errors;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Output;

/// <summary>How a job reads on the console: its state as gRPC names it, its progress, its outcome.</summary>
public static class JobText
{
    public static string State(JobState state) => state.ToString().ToUpperInvariant();

    public static string Progress(JobProgress? progress)
    {
        if (progress is null || progress.Stage.Length == 0) return "";
        var parts = new List<string> { progress.Stage };
        if (progress.Epoch > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"epoch {progress.Epoch}, loss {progress.TrainLoss:G4}"));
            // NaN: the epoch had no validation rows (the refit on every row that ends a search).
            if (!double.IsNaN(progress.ValidationAccuracy)) parts.Add($"validation accuracy {Percent.Format(progress.ValidationAccuracy)}");
        }
        if (progress.ItemsTotal > 0) parts.Add($"{progress.ItemsDone}/{progress.ItemsTotal} items");
        // The rate and time left while items are still coming (the last snapshot of a finished job keeps its rate).
        if (progress.Stage != "done" && progress.ItemsPerSecond > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{progress.ItemsPerSecond:F0}/s")
                      + (progress.EtaSeconds > 0 ? $", {TimeLeft(progress.EtaSeconds)} left" : ""));
        return string.Join(", ", parts);
    }

    /// <summary>"42 s", "7 min", "3 h 5 min".</summary>
    public static string TimeLeft(double seconds)
    {
        if (seconds < 90) return $"{(long)Math.Ceiling(seconds)} s";
        var minutes = (long)Math.Round(seconds / 60);
        return minutes < 90 ? $"{minutes} min" : $"{minutes / 60} h {minutes % 60} min";
    }

    /// <summary>The result for a success, the error's code, field and message for a failure.</summary>
    public static string Outcome(Job job) => job.State switch
    {
        JobState.Succeeded => job.Result,
        JobState.Failed => new TransferError((StatusCode)job.ErrorCode, job.ErrorField.Length > 0 ? job.ErrorField : null, job.ErrorMessage).ToString(),
        _ => "",
    };

    public static string Line(Job job) =>
        string.Join(" ", new[] { job.Id, State(job.State), Progress(job.Progress), Outcome(job) }.Where(p => p.Length > 0));
}
