using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Core.Jobs;
using TransferService.Security;

namespace TransferService.Grpc;

/// <summary>Jobs of the caller's tenant.</summary>
internal sealed class JobGrpcService(IJobRunner jobs) : JobService.JobServiceBase
{
    public override Task<GetJobResponse> GetJob(GetJobRequest request, ServerCallContext context) =>
        Task.FromResult(new GetJobResponse { Job = JobMapper.ToContract(jobs.Get(request.JobId, context.Tenant())) });

    public override async Task WatchJob(WatchJobRequest request, IServerStreamWriter<WatchJobResponse> responseStream, ServerCallContext context)
    {
        await foreach (var info in jobs.WatchAsync(request.JobId, context.Tenant(), context.CancellationToken))
            await responseStream.WriteAsync(new WatchJobResponse { Job = JobMapper.ToContract(info) }, context.CancellationToken);
    }

    public override Task<CancelJobResponse> CancelJob(CancelJobRequest request, ServerCallContext context) =>
        Task.FromResult(new CancelJobResponse { Job = JobMapper.ToContract(jobs.Cancel(request.JobId, context.Tenant())) });
}
