using Google.Protobuf;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Datasets;

[Collection(ServerCollection.Name)]
public sealed class DatasetServiceTests(ServerFixture server)
{
    private readonly HeadWorkflow _workflow = new(server);

    [Fact]
    public async Task UploadDataset_MixedMessages_CountsPerLabelThenGetListDelete()
    {
        var png = TestImages.EncodePng(TestImages.ToRgb224(FashionMnist.Load(train: false, count: 1).Images[0]));
        var examples = Enumerable.Range(0, 250).Select(i => (new Input { Image = ByteString.CopyFrom(png) }, i % 5 == 0 ? "rare" : "common"));

        var uploaded = await _workflow.UploadAsync("images", examples);

        Assert.Equal(250u, uploaded.Count);
        Assert.Equal(new Dictionary<string, uint> { ["common"] = 200, ["rare"] = 50 }, uploaded.LabelCounts);
        var got = (await _workflow.Datasets.GetDatasetAsync(new GetDatasetRequest { DatasetId = uploaded.Id })).Dataset;
        Assert.Equal(("images", 250u), (got.Name, got.Count));
        Assert.Contains((await _workflow.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets, d => d.Id == uploaded.Id);

        await _workflow.Datasets.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetId = uploaded.Id });

        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => _workflow.Datasets.GetDatasetAsync(new GetDatasetRequest { DatasetId = uploaded.Id }).ResponseAsync, "dataset_id");
    }
}
