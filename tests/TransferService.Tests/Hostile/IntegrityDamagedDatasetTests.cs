using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>A dataset whose files are damaged on disk fails only itself, with FAILED_PRECONDITION and a message
/// that shows no server path; the listing still answers, showing it marked damaged.</summary>
[Collection(ServerCollection.Name)]
public sealed class IntegrityDamagedDatasetTests(ServerFixture fixture)
{
    private static async Task<Dataset> UploadAsync(DatasetService.DatasetServiceClient client, string name)
    {
        using var call = client.UploadDataset();
        await call.RequestStream.WriteAsync(new UploadDatasetRequest
        {
            Name = name,
            Examples = { Enumerable.Range(0, 8).Select(i => new LabeledExample { Input = HeadWorkflow.Text($"text number {i}"), Label = i % 2 == 0 ? "even" : "odd" }) },
        });
        await call.RequestStream.CompleteAsync();
        return (await call).Dataset;
    }

    private static void Truncate(string path) => File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length / 2)]);

    [Fact]
    public async Task ListAndGet_TruncatedInfoAndMissingExamples_ListedDamagedGetFailedPreconditionWithoutPath()
    {
        await using var server = await IntegrityServer.StartAsync(fixture);
        var client = new DatasetService.DatasetServiceClient(server.Server.Channel);
        var truncated = await UploadAsync(client, "truncated-info");
        var missing = await UploadAsync(client, "missing-examples");
        var whole = await UploadAsync(client, "whole");
        Truncate(Path.Combine(server.Datasets, truncated.Id, "dataset.json"));
        File.Delete(Path.Combine(server.Datasets, missing.Id, "examples.bin"));

        var listed = (await client.ListDatasetsAsync(new ListDatasetsRequest())).Datasets.ToDictionary(d => d.Id);

        Assert.Equal(3, listed.Count);
        Assert.Contains("dataset.json", listed[truncated.Id].Damaged);
        Assert.Contains("examples.bin is missing", listed[missing.Id].Damaged);
        Assert.Equal(("whole", 8u, ""), (listed[whole.Id].Name, listed[whole.Id].Count, listed[whole.Id].Damaged));
        foreach (var damaged in new[] { truncated, missing })
        {
            var message = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
                () => client.GetDatasetAsync(new GetDatasetRequest { DatasetId = damaged.Id }).ResponseAsync, "dataset_id");
            Assert.DoesNotContain(server.DataFolder, message);
            Assert.DoesNotContain('/', message);
        }
        var heads = new HeadService.HeadServiceClient(server.Server.Channel);
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => heads.TrainHeadAsync(new TrainHeadRequest
        {
            Name = "never", Backbone = "minilm", DatasetId = missing.Id, Config = new TrainingConfig { Epochs = 1 },
        }).ResponseAsync, "dataset_id");
        await client.DeleteDatasetAsync(new DeleteDatasetRequest { DatasetId = truncated.Id });
        Assert.Equal(2, (await client.ListDatasetsAsync(new ListDatasetsRequest())).Datasets.Count);
    }

    [Fact]
    public async Task TrainHead_ExamplesTruncatedOnDisk_JobFailsFailedPreconditionWithoutPath()
    {
        await using var server = await IntegrityServer.StartAsync(fixture);
        var client = new DatasetService.DatasetServiceClient(server.Server.Channel);
        var dataset = await UploadAsync(client, "truncated-examples");
        Truncate(Path.Combine(server.Datasets, dataset.Id, "examples.bin"));
        var jobs = new JobService.JobServiceClient(server.Server.Channel);

        var started = await new HeadService.HeadServiceClient(server.Server.Channel).TrainHeadAsync(new TrainHeadRequest
        {
            Name = "on-truncated", Backbone = "minilm", DatasetId = dataset.Id, Config = new TrainingConfig { Epochs = 1, ValidationFraction = 0.25f },
        });
        Job last = started.Job;
        using (var watch = jobs.WatchJob(new WatchJobRequest { JobId = started.Job.Id }))
            await foreach (var update in watch.ResponseStream.ReadAllAsync()) last = update.Job;

        Assert.Equal(JobState.Failed, last.State);
        Assert.Equal((int)StatusCode.FailedPrecondition, last.ErrorCode);
        Assert.Equal("dataset_id", last.ErrorField);
        Assert.Contains("examples.bin is truncated", last.ErrorMessage);
        Assert.DoesNotContain('/', last.ErrorMessage);
    }
}
