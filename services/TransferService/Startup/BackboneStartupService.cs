using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.Options;
using TransferService.Core.Backbones;
using TransferService.Core.Embeddings;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Installation;

namespace TransferService.Startup;

/// <summary>At start: installs missing built-in backbones, loads and warms the preloaded ones, then reports
/// SERVING. Until then (and for good if a preload fails) health says NOT_SERVING.</summary>
internal sealed class BackboneStartupService(
    BuiltinBackboneInstaller installer,
    BackboneRegistry registry,
    EmbeddingPipeline pipeline,
    HealthServiceImpl health,
    IOptions<BackboneOptions> options,
    ILogger<BackboneStartupService> logger) : BackgroundService
{
    public static readonly string[] ServiceNames =
        ["", "transfer.v1.EmbeddingService", "transfer.v1.BackboneService", "transfer.v1.DatasetService", "transfer.v1.HeadService", "transfer.v1.JobService"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SetHealth(HealthCheckResponse.Types.ServingStatus.NotServing);
        try
        {
            await Task.Run(installer.InstallMissing, stoppingToken);
            foreach (var name in options.Value.PreloadNames)
            {
                var loaded = await registry.LoadAsync(name, stoppingToken);
                await pipeline.EmbedAsync(name, [WarmupInputs.For(loaded.Manifest)], normalize: false, WorkTag.System, stoppingToken);
            }
            SetHealth(HealthCheckResponse.Types.ServingStatus.Serving);
            logger.LogInformation("Serving; backbones loaded: {Backbones}", string.Join(", ", options.Value.PreloadNames));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Start-up failed; health stays NOT_SERVING");
        }
    }

    private void SetHealth(HealthCheckResponse.Types.ServingStatus status)
    {
        foreach (var service in ServiceNames) health.SetStatus(service, status);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        SetHealth(HealthCheckResponse.Types.ServingStatus.NotServing);
        await base.StopAsync(cancellationToken);
    }
}
