using TransferService.Core.Extraction;
using TransferService.Core.Tenants;

namespace TransferService.Startup;

/// <summary>At start, removes the files of extraction jobs a previous process left behind after they were cancelled or
/// failed (it stopped before removing them). In the background: start-up does not wait for a walk of the data folder.</summary>
internal sealed class ExtractionCleanupService(ExtractionCleanup cleanup, TenantStores stores, ILogger<ExtractionCleanupService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            var removed = cleanup.RemoveAbandoned(stores.Root);
            if (removed > 0) logger.LogInformation("Removed the files of {Count} cancelled or failed extraction job(s)", removed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not remove the files of cancelled or failed extraction jobs");
        }
    }, stoppingToken);
}
