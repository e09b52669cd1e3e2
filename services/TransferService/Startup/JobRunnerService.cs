using TransferService.Core.Jobs;

namespace TransferService.Startup;

/// <summary>Starts the job runner with the host (resuming what a previous process left running) and stops it at
/// shutdown, before the job store closes: running jobs go back to the queue and resume at the next start.</summary>
internal sealed class JobRunnerService(DurableJobRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        runner.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => runner.StopAsync();
}
