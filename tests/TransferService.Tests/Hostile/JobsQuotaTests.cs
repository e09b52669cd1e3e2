using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>One tenant cannot queue without bound: past Jobs:MaxActivePerTenant (8 by default) queued or running
/// jobs, TrainHead answers RESOURCE_EXHAUSTED, and a cancelled job frees its slot.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobsQuotaTests(ServerFixture server)
{
    private readonly HeadWorkflow _workflow = new(server);

    [Fact]
    public async Task TrainHead_NinthActiveJobOfOneTenant_ResourceExhaustedUntilOneIsCancelled()
    {
        var dataset = await _workflow.UploadAsync("jobs-quota", JobsTraining.Reviews(100));
        var request = JobsTraining.Request("jobs-quota", dataset.Id, JobsTraining.LongRun);
        var submitted = new List<string>();
        try
        {
            for (var i = 0; i < 8; i++) submitted.Add((await _workflow.Heads.TrainHeadAsync(request)).Job.Id);

            var message = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => _workflow.Heads.TrainHeadAsync(request).ResponseAsync);

            Assert.Contains("Jobs:MaxActivePerTenant is 8", message);
            await _workflow.Jobs.CancelJobAsync(new CancelJobRequest { JobId = submitted[^1] });
            submitted.Add((await _workflow.Heads.TrainHeadAsync(request)).Job.Id);
        }
        finally
        {
            await JobsTraining.CancelActiveAsync(_workflow.Jobs, submitted);
        }
    }
}
