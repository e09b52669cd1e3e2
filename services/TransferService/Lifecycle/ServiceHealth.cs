using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace TransferService.Lifecycle;

/// <summary>The <c>grpc.health.v1</c> status of every service this host serves, and of "" (the whole server): NOT_SERVING
/// until start-up has loaded and warmed the preloaded backbones, SERVING after, and NOT_SERVING again from the moment a
/// stop begins (before in-flight calls drain), so a load balancer stops sending new calls while the old ones finish.
/// A singleton; the statuses live in <see cref="HealthServiceImpl"/>, which answers Check and Watch.</summary>
internal sealed class ServiceHealth
{
    public static readonly string[] ServiceNames =
    [
        "", "transfer.v1.EmbeddingService", "transfer.v1.BackboneService", "transfer.v1.DatasetService", "transfer.v1.HeadService",
        "transfer.v1.JobService", "transfer.v1.ExtractionService", "transfer.v1.AccessService",
    ];

    private readonly Lock _gate = new();
    private readonly HealthServiceImpl _health;
    private readonly CancellationToken _stopping;

    public ServiceHealth(HealthServiceImpl health, IHostApplicationLifetime lifetime)
    {
        _health = health;
        _stopping = lifetime.ApplicationStopping;
        Set(HealthCheckResponse.Types.ServingStatus.NotServing);
        _stopping.Register(() => Set(HealthCheckResponse.Types.ServingStatus.NotServing));
    }

    /// <summary>SERVING, unless a stop has begun (then it stays NOT_SERVING).</summary>
    public void MarkServing()
    {
        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested) SetLocked(HealthCheckResponse.Types.ServingStatus.Serving);
        }
    }

    private void Set(HealthCheckResponse.Types.ServingStatus status)
    {
        lock (_gate) SetLocked(status);
    }

    private void SetLocked(HealthCheckResponse.Types.ServingStatus status)
    {
        foreach (var service in ServiceNames) _health.SetStatus(service, status);
    }
}
