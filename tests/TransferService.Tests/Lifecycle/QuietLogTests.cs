using Grpc.Health.V1;
using TransferService.Tests.Telemetry;

namespace TransferService.Tests.Lifecycle;

/// <summary>The log at its shipped levels (Default Information, appsettings.json): one line per notable event, none per
/// request.</summary>
public sealed class QuietLogTests
{
    [Fact]
    public async Task Check_NinetyHealthChecks_WriteNoLogLine()
    {
        await using var server = await TelemetryServer.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" });
        var health = new Health.HealthClient(server.Server.Channel);
        // The start-up lines reach the capture (the last one just after health says SERVING): the test sees what the server logs.
        for (var i = 0; i < 100 && !server.Logs.Lines.Snapshot().Any(l => l.Contains("Serving: backbones", StringComparison.Ordinal)); i++)
            await Task.Delay(50);
        Assert.Contains(server.Logs.Lines.Snapshot(), l => l.Contains("Serving: backbones", StringComparison.Ordinal));
        var before = server.Logs.Lines.Count;

        for (var i = 0; i < 90; i++) await health.CheckAsync(new HealthCheckRequest { Service = "transfer.v1.EmbeddingService" });
        await Task.Delay(200);

        Assert.Equal([], server.Logs.Lines.Snapshot().Skip(before));
    }

    [Fact]
    public async Task TrainHead_ShortJob_LogsItsStartAndItsEnd()
    {
        await using var server = await TelemetryServer.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" });
        var workflow = new Infrastructure.HeadWorkflow(server.Server.Channel);
        var dataset = await workflow.UploadAsync("points", Jobs.CrashTraining.Points(40));
        var before = server.Logs.Lines.Count;

        var job = (await workflow.TrainAsync(new Contracts.V1.TrainHeadRequest
        {
            Name = "logged", Backbone = server.Backbone, DatasetId = dataset.Id, Config = new Contracts.V1.TrainingConfig { Epochs = 2 },
        }))[^1];
        await Task.Delay(200);

        var lines = server.Logs.Lines.Snapshot().Skip(before).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Contains($"Job {job.Id} (train_head, tenant default) started, attempt 1", lines[0]);
        Assert.Matches($@"Job {job.Id} \(train_head\) succeeded in [0-9.]+ s: logged v1", lines[1]);
    }
}
