using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace TransferService.HealthProbe;

/// <summary>One grpc.health.v1 Check: 0 when SERVING; 1 when not serving, unreachable, or slower than the timeout.</summary>
public static class HealthCheck
{
    public static async Task<int> RunAsync(ProbeTarget target, TextWriter output, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(target.Address);
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(
                new HealthCheckRequest { Service = target.Service },
                deadline: DateTime.UtcNow + target.Timeout,
                cancellationToken: cancellationToken);
            output.WriteLine(reply.Status.ToString());
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (RpcException e)
        {
            output.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
            return 1;
        }
    }
}
