using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>What a kill -9 leaves on disk (an upload's temporary folder, a head write's temporary file) is
/// removed when the service starts again; published data is untouched.</summary>
[Collection(ServerCollection.Name)]
public sealed class IntegrityLeftoverTests(ServerFixture fixture)
{
    [Fact]
    public async Task Start_AfterCrashMidUploadAndMidHeadWrite_LeftoversRemovedDataKept()
    {
        await using var server = await IntegrityServer.StartAsync(fixture);
        var datasets = new DatasetService.DatasetServiceClient(server.Server.Channel);
        using (var call = datasets.UploadDataset())
        {
            await call.RequestStream.WriteAsync(new UploadDatasetRequest
            {
                Name = "kept", Examples = { new LabeledExample { Input = HeadWorkflow.Text("a text"), Label = "a" } },
            });
            await call.RequestStream.CompleteAsync();
            await call;
        }
        var upload = Directory.CreateDirectory(Path.Combine(server.Datasets, ".ds-0123456789ab.uploading")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(upload, "examples.bin"), new byte[4096]);
        var headWrite = Path.Combine(Directory.CreateDirectory(Path.Combine(server.Heads, "crashed")).FullName, "v1.head.tmp-4242-0123456789abcdef");
        await File.WriteAllBytesAsync(headWrite, new byte[100]);

        await server.RestartAsync(fixture);
        datasets = new DatasetService.DatasetServiceClient(server.Server.Channel);
        var listed = (await datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets;
        var heads = (await new HeadService.HeadServiceClient(server.Server.Channel).ListHeadsAsync(new ListHeadsRequest())).Heads;

        Assert.Equal("kept", Assert.Single(listed).Name);
        Assert.False(Directory.Exists(upload));
        Assert.False(File.Exists(headWrite));
        Assert.Empty(heads);
    }
}
