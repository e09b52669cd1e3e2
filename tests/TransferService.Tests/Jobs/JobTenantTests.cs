using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Hostile;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Jobs;

/// <summary>ListJobs with API keys: a user sees only its own tenant's jobs and may not name another tenant; an admin
/// may list one tenant's or every tenant's.</summary>
public sealed class JobTenantTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    private async Task<Job> TrainAsync(CallInvoker invoker, string name)
    {
        using var upload = new DatasetService.DatasetServiceClient(invoker).UploadDataset();
        var message = new UploadDatasetRequest { Name = name };
        message.Examples.AddRange(CrashTraining.Points(20).Select(e => new LabeledExample { Input = e.Input, Label = e.Label }));
        await upload.RequestStream.WriteAsync(message);
        await upload.RequestStream.CompleteAsync();
        var dataset = (await upload).Dataset;
        return (await new HeadService.HeadServiceClient(invoker).TrainHeadAsync(new TrainHeadRequest
        {
            Name = name, Backbone = SecuredServer.Backbone, DatasetId = dataset.Id, Config = new TrainingConfig { Epochs = 1 },
        })).Job;
    }

    [Fact]
    public async Task ListJobs_UsersAndAdmin_EachUserSeesItsOwnAnotherTenantIsAdminOnly()
    {
        var alice = server.As(server.AliceKey);
        var bob = server.As(server.BobKey);
        var alicesJob = await TrainAsync(alice, "alice-listed");
        var bobsJob = await TrainAsync(bob, "bob-listed");

        var bobSees = (await new JobService.JobServiceClient(bob).ListJobsAsync(new ListJobsRequest())).Jobs;
        var bobNamesAlice = await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            () => new JobService.JobServiceClient(bob).ListJobsAsync(new ListJobsRequest { Tenant = "alice" }).ResponseAsync, "tenant");
        var admin = new JobService.JobServiceClient(server.As(server.AdminKey));
        var adminSeesAlice = (await admin.ListJobsAsync(new ListJobsRequest { Tenant = "alice" })).Jobs;
        var adminSeesAll = (await admin.ListJobsAsync(new ListJobsRequest { Tenant = "*" })).Jobs;

        Assert.Contains(bobSees, j => j.Id == bobsJob.Id);
        Assert.All(bobSees, j => Assert.Equal("bob", j.Tenant));
        Assert.Contains("admin", bobNamesAlice);
        Assert.Contains(adminSeesAlice, j => j.Id == alicesJob.Id);
        Assert.All(adminSeesAlice, j => Assert.Equal("alice", j.Tenant));
        Assert.Subset(adminSeesAll.Select(j => j.Id).ToHashSet(), new HashSet<string> { alicesJob.Id, bobsJob.Id });
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => new JobService.JobServiceClient(bob).GetJobAsync(new GetJobRequest { JobId = alicesJob.Id }).ResponseAsync, "job_id");
    }
}
