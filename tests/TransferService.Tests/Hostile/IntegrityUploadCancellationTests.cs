using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>An upload the client abandons (cancels, or lets its deadline pass) before completing the stream is
/// never published, however far it got, and leaves no temporary folder behind.</summary>
[Collection(ServerCollection.Name)]
public sealed class IntegrityUploadCancellationTests(ServerFixture fixture)
{
    private const int Attempts = 20;
    private const int MessagesBeforeAbandoning = 40;

    private static UploadDatasetRequest Message(int index) => new()
    {
        Name = index == 0 ? "abandoned" : "",
        Examples = { Enumerable.Range(0, 50).Select(i => new LabeledExample { Input = HeadWorkflow.Text($"text {index}.{i} "), Label = $"l{i % 3}" }) },
    };

    [Fact]
    public async Task UploadDataset_ClientCancelsBeforeCompleting_NothingPublishedNoTemporaryFolder()
    {
        await using var server = await IntegrityServer.StartAsync(fixture);
        var client = new DatasetService.DatasetServiceClient(server.Server.Channel);

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            using var cancellation = new CancellationTokenSource();
            using var call = client.UploadDataset(cancellationToken: cancellation.Token);
            for (var m = 0; m < MessagesBeforeAbandoning; m++) await call.RequestStream.WriteAsync(Message(m));
            await cancellation.CancelAsync();
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        }

        await AssertNothingStoredAsync(server, client);
    }

    [Fact]
    public async Task UploadDataset_DeadlinePassesBeforeCompleting_NothingPublishedNoTemporaryFolder()
    {
        await using var server = await IntegrityServer.StartAsync(fixture);
        var client = new DatasetService.DatasetServiceClient(server.Server.Channel);

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            using var call = client.UploadDataset(deadline: DateTime.UtcNow.AddMilliseconds(300));
            try
            {
                for (var m = 0; m < MessagesBeforeAbandoning; m++) await call.RequestStream.WriteAsync(Message(m));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded) { }
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await Task.Delay(400);
                await call.ResponseAsync;
            });
            Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        }

        await AssertNothingStoredAsync(server, client);
    }

    private static async Task AssertNothingStoredAsync(IntegrityServer server, DatasetService.DatasetServiceClient client)
    {
        // The server finishes each abandoned call on its own, and on a loaded machine the last call's handler may
        // only start (and make its temporary folder) after the client has given up: wait until every folder is gone.
        // A published dataset would never go, so this still fails on a publish after a cancel.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Folders(server).Length > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Empty(Folders(server));
        Assert.Empty((await client.ListDatasetsAsync(new ListDatasetsRequest())).Datasets);
    }

    private static string[] Folders(IntegrityServer server) =>
        Directory.Exists(server.Datasets) ? Directory.GetDirectories(server.Datasets) : [];
}
