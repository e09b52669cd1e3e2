using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Core.Jobs;

namespace TransferService.Grpc;

internal sealed class JobGrpcService(IJobRunner jobs) : JobService.JobServiceBase
{
    public override Task<GetJobResponse> GetJob(GetJobRequest request, ServerCallContext context) =>
        Task.FromResult(new GetJobResponse { Job = JobMapper.ToContract(jobs.Get(request.JobId)) });

    public override async Task WatchJob(WatchJobRequest request, IServerStreamWriter<WatchJobResponse> responseStream, ServerCallContext context)
    {
        await foreach (var info in jobs.WatchAsync(request.JobId, context.CancellationToken))
            await responseStream.WriteAsync(new WatchJobResponse { Job = JobMapper.ToContract(info) }, context.CancellationToken);
    }
}
