using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Datasets, heads, aliases and jobs belong to a tenant: another tenant gets NOT_FOUND for every RPC that
/// names them (so names do not leak), its listings do not show them, and nothing it does changes them.</summary>
public sealed class TenantIsolationTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    private static IEnumerable<(Input, string)> Examples(int count) => Enumerable.Range(0, count).Select(i =>
        (new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { i % 2 == 0 ? 1 : -1, i * 0.1f, 0.5f, i % 2 } } }, i % 2 == 0 ? "even" : "odd"));

    private static async Task<Dataset> UploadAsync(CallInvoker invoker, string name, int count)
    {
        using var call = new DatasetService.DatasetServiceClient(invoker).UploadDataset();
        var message = new UploadDatasetRequest { Name = name };
        message.Examples.AddRange(Examples(count).Select(e => new LabeledExample { Input = e.Item1, Label = e.Item2 }));
        await call.RequestStream.WriteAsync(message);
        await call.RequestStream.CompleteAsync();
        return (await call).Dataset;
    }

    private async Task<(Dataset Dataset, Job Job)> AliceTrainsAsync()
    {
        var alice = server.As(server.AliceKey);
        var dataset = await UploadAsync(alice, "alice-data", 20);
        var job = (await new HeadService.HeadServiceClient(alice).TrainHeadAsync(new TrainHeadRequest
        {
            Name = "alice-head", Backbone = SecuredServer.Backbone, DatasetId = dataset.Id, Config = new TrainingConfig { Epochs = 3 },
        })).Job;
        using var watch = new JobService.JobServiceClient(alice).WatchJob(new WatchJobRequest { JobId = job.Id });
        Job last = job;
        await foreach (var update in watch.ResponseStream.ReadAllAsync()) last = update.Job;
        Assert.Equal(JobState.Succeeded, last.State);
        await new HeadService.HeadServiceClient(alice).SetHeadAliasAsync(new SetHeadAliasRequest { Name = "alice-head", Alias = "prod", Version = 1 });
        return (dataset, last);
    }

    [Fact]
    public async Task OtherTenant_EveryRpcNamingAlicesThings_NotFound_AndAlicesThingsStay()
    {
        var (dataset, job) = await AliceTrainsAsync();
        var bob = server.As(server.BobKey);
        var datasets = new DatasetService.DatasetServiceClient(bob);
        var heads = new HeadService.HeadServiceClient(bob);
        var jobs = new JobService.JobServiceClient(bob);
        var head = new HeadReference { Name = "alice-head" };
        var tensor = new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { 1, 0, 0, 0 } } };

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => datasets.GetDatasetAsync(new GetDatasetRequest { DatasetId = dataset.Id }).ResponseAsync, "dataset_id");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => datasets.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetId = dataset.Id }).ResponseAsync, "dataset_id");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => heads.TrainHeadAsync(new TrainHeadRequest
        {
            Name = "stolen", Backbone = SecuredServer.Backbone, DatasetId = dataset.Id,
        }).ResponseAsync, "dataset_id");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => heads.GetHeadAsync(new GetHeadRequest { Head = head }).ResponseAsync, "head.name");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => heads.DeleteHeadAsync(new DeleteHeadRequest { Head = head }).ResponseAsync, "head.name");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => heads.SetHeadAliasAsync(new SetHeadAliasRequest { Name = "alice-head", Alias = "mine", Version = 1 }).ResponseAsync);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => heads.ClassifyAsync(new ClassifyRequest
        {
            Backbone = SecuredServer.Backbone, Heads = { new HeadReference { Name = "alice-head", Alias = "prod" } }, Inputs = { tensor },
        }).ResponseAsync, "heads[0].name");
        await RpcAssert.FailsAsync(StatusCode.NotFound, async () =>
        {
            using var export = heads.ExportHead(new ExportHeadRequest { Head = head });
            await export.ResponseStream.MoveNext();
        }, "head.name");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => jobs.GetJobAsync(new GetJobRequest { JobId = job.Id }).ResponseAsync, "job_id");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => jobs.CancelJobAsync(new CancelJobRequest { JobId = job.Id }).ResponseAsync, "job_id");
        await RpcAssert.FailsAsync(StatusCode.NotFound, async () =>
        {
            using var watch = jobs.WatchJob(new WatchJobRequest { JobId = job.Id });
            await watch.ResponseStream.MoveNext();
        }, "job_id");
        Assert.DoesNotContain((await datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets, d => d.Id == dataset.Id);
        Assert.DoesNotContain((await heads.ListHeadsAsync(new ListHeadsRequest())).Heads, h => h.Name == "alice-head");

        var alice = server.As(server.AliceKey);
        Assert.Equal(dataset.Count, (await new DatasetService.DatasetServiceClient(alice).GetDatasetAsync(new GetDatasetRequest { DatasetId = dataset.Id })).Dataset.Count);
        var aliceHead = (await new HeadService.HeadServiceClient(alice).GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "alice-head", Alias = "prod" } })).Head;
        Assert.Equal(1u, aliceHead.Version);
        Assert.Equal(JobState.Succeeded, (await new JobService.JobServiceClient(alice).GetJobAsync(new GetJobRequest { JobId = job.Id })).Job.State);
    }

    [Fact]
    public async Task SameNames_InTwoTenants_AreIndependent()
    {
        var alice = await UploadAsync(server.As(server.AliceKey), "shared-name", 4);
        var bob = await UploadAsync(server.As(server.BobKey), "shared-name", 6);
        var bobList = await new DatasetService.DatasetServiceClient(server.As(server.BobKey)).ListDatasetsAsync(new ListDatasetsRequest());
        Assert.Contains(bobList.Datasets, d => d.Id == bob.Id && d.Count == 6);
        Assert.DoesNotContain(bobList.Datasets, d => d.Id == alice.Id);
    }

    [Fact]
    public async Task Admin_WithTenantMetadata_ReadsThatTenant()
    {
        var dataset = await UploadAsync(server.As(server.AliceKey), "for-admin", 4);
        var asAlice = new DatasetService.DatasetServiceClient(server.As(server.AdminKey, tenant: "alice"));
        Assert.Equal(4u, (await asAlice.GetDatasetAsync(new GetDatasetRequest { DatasetId = dataset.Id })).Dataset.Count);
        var ownTenant = new DatasetService.DatasetServiceClient(server.As(server.AdminKey));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => ownTenant.GetDatasetAsync(new GetDatasetRequest { DatasetId = dataset.Id }).ResponseAsync, "dataset_id");
    }

    [Fact]
    public async Task Upload_OverTenantQuota_ResourceExhausted_NothingStored()
    {
        var small = server.As(server.CreateKey("--tenant", "small"));
        var message = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => UploadAsync(small, "too-big", 400), "examples");
        Assert.Contains("quota", message);
        Assert.Empty((await new DatasetService.DatasetServiceClient(small).ListDatasetsAsync(new ListDatasetsRequest())).Datasets);
        var fits = await UploadAsync(small, "fits", 10);
        Assert.Equal(10u, fits.Count);
    }
}
