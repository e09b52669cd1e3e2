using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>A client that opens a stream and then goes quiet: the server ends the stream after
/// Service:StreamIdleTimeout with DEADLINE_EXCEEDED instead of holding it for ever, and an upload ended so stores nothing.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdleStreamTests(ServerFixture server) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"idle-streams-{Guid.NewGuid():N}");
    private TestServer _own = null!;

    public async Task InitializeAsync() => _own = await TestServer.StartAsync(_data, new Dictionary<string, string?>
    {
        ["Backbones:ModelRepository"] = server.ModelRepository, ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu",
        ["Service:StreamIdleTimeout"] = "00:00:01",
    });

    [Fact]
    public async Task EmbedStream_ClientSendsNothing_DeadlineExceededAfterTheIdleTimeout()
    {
        using var call = new EmbeddingService.EmbeddingServiceClient(_own.Channel).EmbedStream();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("StreamIdleTimeout", error.Status.Detail);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 30);
    }

    [Fact]
    public async Task UploadDataset_ClientStopsSending_DeadlineExceededAndNothingStored()
    {
        var datasets = new DatasetService.DatasetServiceClient(_own.Channel);
        using var call = datasets.UploadDataset();
        await call.RequestStream.WriteAsync(new UploadDatasetRequest
        {
            Name = "left-open", Examples = { new LabeledExample { Input = HeadWorkflow.Text("a text"), Label = "a" } },
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Empty((await datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets);
    }

    public async Task DisposeAsync()
    {
        await _own.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
