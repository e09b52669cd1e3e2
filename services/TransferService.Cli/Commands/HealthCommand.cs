using System.CommandLine;
using Grpc.Core;
using Grpc.Health.V1;
using Spectre.Console;
using Status = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer health</c>: the server's <c>grpc.health.v1</c> status, overall and per service; exit code 0
/// only when the server as a whole is SERVING.</summary>
public static class HealthCommand
{
    private static readonly string[] Services =
    [
        "", "transfer.v1.BackboneService", "transfer.v1.EmbeddingService", "transfer.v1.DatasetService",
        "transfer.v1.HeadService", "transfer.v1.JobService", "transfer.v1.ExtractionService",
    ];

    public static Command Create(CliSession session)
    {
        var command = new Command("health", "Show whether the server and each of its services is serving");
        session.SetAction(command, async (_, client, cancellationToken) =>
        {
            var table = new Table().AddColumns("service", "status");
            var overall = Status.Unknown;
            foreach (var service in Services)
            {
                string shown;
                try
                {
                    var reply = await client.Health.CheckAsync(new HealthCheckRequest { Service = service }, cancellationToken: cancellationToken);
                    shown = reply.Status.ToString().ToUpperInvariant();
                    if (service.Length == 0) overall = reply.Status;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && service.Length > 0)
                {
                    shown = "not reported";
                }
                table.AddRow(service.Length == 0 ? "(server)" : service, shown);
            }
            session.Console.Write(table);
            return overall == Status.Serving ? 0 : 1;
        });
        return command;
    }
}
