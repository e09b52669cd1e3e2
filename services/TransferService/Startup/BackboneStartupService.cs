using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using TransferService.Core.Backbones;
using TransferService.Core.Embeddings;
using TransferService.Core.Scheduling;
using TransferService.Hosting;
using TransferService.Lifecycle;
using TransferService.Onnx.Installation;

namespace TransferService.Startup;

/// <summary>At start: installs missing built-in backbones, loads and warms the preloaded ones, then reports
/// SERVING. Until then (and for good if a preload fails) health says NOT_SERVING.</summary>
internal sealed class BackboneStartupService(
    BuiltinBackboneInstaller installer,
    BackboneRegistry registry,
    EmbeddingPipeline pipeline,
    ServiceHealth health,
    IBackboneRuntime runtime,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<BackboneOptions> options,
    IOptions<ServiceOptions> service,
    ILogger<BackboneStartupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStarted.Register(() => StartupLog.Listening(logger,
            string.Join(", ", server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []), string.Join(", ", runtime.Lanes)));
        lifetime.ApplicationStopping.Register(() => StartupLog.Stopping(logger, service.Value.ShutdownGracePeriod.TotalSeconds));
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.Run(installer.InstallMissing, stoppingToken);
            foreach (var name in options.Value.PreloadNames)
            {
                var loaded = await registry.LoadAsync(name, stoppingToken);
                await pipeline.EmbedAsync(name, [WarmupInputs.For(loaded.Manifest)], normalize: false, WorkTag.System, stoppingToken);
            }
            health.MarkServing();
            StartupLog.Serving(logger, options.Value.PreloadNames.Count == 0 ? "(none)" : string.Join(", ", options.Value.PreloadNames), clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            StartupLog.StartFailed(logger, e);
        }
    }
}
