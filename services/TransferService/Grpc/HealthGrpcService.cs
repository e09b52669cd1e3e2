using Grpc.Core;
using Grpc.Health.V1;
using TransferService.Core.Errors;
using TransferService.Lifecycle;

namespace TransferService.Grpc;

/// <summary><c>grpc.health.v1.Health</c> over <see cref="ServiceHealth"/>: Check answers NOT_FOUND for a service this
/// host does not serve; Watch sends the status now (SERVICE_UNKNOWN for such a name), then every change, and ends when
/// a stop begins, right after NOT_SERVING.</summary>
internal sealed class HealthGrpcService(ServiceHealth health) : Health.HealthBase
{
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        health.Status(request.Service) is { } status
            ? Task.FromResult(new HealthCheckResponse { Status = status })
            : throw new TransferException(ErrorCode.NotFound, $"service '{request.Service}' is not served here", "service");

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var (now, changes) = health.Watch(request.Service, context.CancellationToken);
        await responseStream.WriteAsync(new HealthCheckResponse { Status = now }, context.CancellationToken);
        await foreach (var status in changes.ReadAllAsync(context.CancellationToken))
            await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken);
    }
}
