using System.Threading.Channels;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace TransferService.Lifecycle;

/// <summary>The <c>grpc.health.v1</c> status of every service this host serves, and of "" (the whole server): NOT_SERVING
/// until start-up has loaded and warmed the preloaded backbones, SERVING after, and NOT_SERVING again from the moment a
/// stop begins (before in-flight calls drain), so a load balancer stops sending new calls while the old ones finish.
/// Watchers are told every change; when a stop begins they are told NOT_SERVING and their streams end, so an open
/// Watch never holds the stop for its grace period. A singleton; <see cref="Grpc.HealthGrpcService"/> answers the calls.</summary>
internal sealed class ServiceHealth
{
    public static readonly string[] ServiceNames =
    [
        "", "transfer.v1.EmbeddingService", "transfer.v1.BackboneService", "transfer.v1.DatasetService", "transfer.v1.HeadService",
        "transfer.v1.JobService", "transfer.v1.ExtractionService", "transfer.v1.AccessService",
    ];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = ServiceNames.ToDictionary(s => s, _ => ServingStatus.NotServing, StringComparer.Ordinal);
    private readonly List<(string Service, Channel<ServingStatus> Changes)> _watchers = [];
    private readonly CancellationToken _stopping;

    public ServiceHealth(IHostApplicationLifetime lifetime)
    {
        _stopping = lifetime.ApplicationStopping;
        _stopping.Register(() =>
        {
            lock (_gate)
            {
                SetLocked(ServingStatus.NotServing);
                foreach (var (_, changes) in _watchers) changes.Writer.TryComplete();
                _watchers.Clear();
            }
        });
    }

    /// <summary>SERVING, unless a stop has begun (then it stays NOT_SERVING).</summary>
    public void MarkServing()
    {
        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested) SetLocked(ServingStatus.Serving);
        }
    }

    /// <summary>The service's status, or null for a name this host does not serve.</summary>
    public ServingStatus? Status(string service)
    {
        lock (_gate) return _statuses.TryGetValue(service, out var status) ? status : null;
    }

    /// <summary>The status now (SERVICE_UNKNOWN for a name this host does not serve) and, from the same instant, every
    /// later change; the reader completes when a stop begins (after NOT_SERVING) or when <paramref name="cancellation"/>
    /// fires. Taken under one lock, so no change can fall between the two.</summary>
    public (ServingStatus Now, ChannelReader<ServingStatus> Changes) Watch(string service, CancellationToken cancellation)
    {
        // Only the latest status matters to a watcher that reads slowly.
        var changes = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        ServingStatus now;
        lock (_gate)
        {
            now = _statuses.TryGetValue(service, out var status) ? status : ServingStatus.ServiceUnknown;
            if (_stopping.IsCancellationRequested) changes.Writer.TryComplete();
            else _watchers.Add((service, changes));
        }
        cancellation.Register(() =>
        {
            lock (_gate) _watchers.Remove((service, changes));
            changes.Writer.TryComplete();
        });
        return (now, changes.Reader);
    }

    private void SetLocked(ServingStatus status)
    {
        foreach (var service in ServiceNames)
        {
            if (_statuses[service] == status) continue;
            _statuses[service] = status;
            foreach (var watcher in _watchers.Where(w => w.Service == service)) watcher.Changes.Writer.TryWrite(status);
        }
    }
}
