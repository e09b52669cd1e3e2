using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Hostile;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Extraction;

/// <summary>An extraction job and its files belong to the tenant that started it: another tenant gets NOT_FOUND, as for
/// a job that does not exist, and cannot extract the first tenant's dataset either.</summary>
public sealed class ExtractionTenantTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    [Fact]
    public async Task DownloadExtraction_OtherTenantsJobOrDataset_NotFound()
    {
        var alice = server.As(server.AliceKey);
        using var upload = new DatasetService.DatasetServiceClient(alice).UploadDataset();
        await upload.RequestStream.WriteAsync(new UploadDatasetRequest
        {
            Name = "alice-tensors",
            Examples = { Enumerable.Range(0, 40).Select(i => new LabeledExample { Input = new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { i, 1, 2, 3 } } }, Label = "x" }) },
        });
        await upload.RequestStream.CompleteAsync();
        var dataset = (await upload).Dataset;
        var aliceJob = (await new ExtractionWorkflow(alice).RunAsync(new StartExtractionRequest { Backbone = SecuredServer.Backbone, DatasetId = dataset.Id }))[^1];
        var bob = new ExtractionWorkflow(server.As(server.BobKey));

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => bob.DownloadAsync(aliceJob.Id, ExtractionFile.Embeddings), "job_id");
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => bob.Extraction.StartExtractionAsync(new StartExtractionRequest { Backbone = SecuredServer.Backbone, DatasetId = dataset.Id }).ResponseAsync, "dataset_id");
        var (rows, columns, _) = await new ExtractionWorkflow(alice).LoadNumpyAsync(aliceJob.Id, ExtractionFile.Embeddings);
        Assert.Equal(40, rows);
        Assert.True(columns > 0);
    }
}
