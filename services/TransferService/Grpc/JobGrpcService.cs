using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Core.Errors;
using TransferService.Core.Jobs;
using TransferService.Security;

namespace TransferService.Grpc;

/// <summary>Jobs of the caller's tenant (ListJobs: of any tenant, for admins).</summary>
internal sealed class JobGrpcService(IJobRunner jobs, IHostApplicationLifetime lifetime) : JobService.JobServiceBase
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    private const string AllTenants = "*";

    public override Task<GetJobResponse> GetJob(GetJobRequest request, ServerCallContext context) =>
        Task.FromResult(new GetJobResponse { Job = JobMapper.ToContract(jobs.Get(request.JobId, context.Tenant())) });

    public override Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context)
    {
        if (request.PageSize > MaxPageSize) throw TransferException.Invalid("page_size", $"page_size {request.PageSize} is over {MaxPageSize}");
        var caller = context.Caller();
        var tenant = request.Tenant.Length == 0 ? caller.Tenant : request.Tenant;
        if (tenant != caller.Tenant && !caller.IsAdmin)
            throw new TransferException(ErrorCode.PermissionDenied, "only an admin may list another tenant's jobs", "tenant");
        var (listed, next) = jobs.List(new JobQuery(tenant == AllTenants ? null : tenant, JobMapper.ToCore(request.State),
            request.Kind.Length == 0 ? null : request.Kind, request.PageSize == 0 ? DefaultPageSize : (int)request.PageSize,
            request.PageToken.Length == 0 ? null : request.PageToken));
        var response = new ListJobsResponse { NextPageToken = next ?? "" };
        response.Jobs.AddRange(listed.Select(JobMapper.ToContract));
        return Task.FromResult(response);
    }

    public override async Task WatchJob(WatchJobRequest request, IServerStreamWriter<WatchJobResponse> responseStream, ServerCallContext context)
    {
        // A watch lasts as long as its job: left open through a stop, it would hold the stop for the whole grace period.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var info in jobs.WatchAsync(request.JobId, context.Tenant(), watching.Token))
                await responseStream.WriteAsync(new WatchJobResponse { Job = JobMapper.ToContract(info) }, watching.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the service is stopping; call WatchJob again to follow the job"));
        }
    }

    public override Task<CancelJobResponse> CancelJob(CancelJobRequest request, ServerCallContext context) =>
        Task.FromResult(new CancelJobResponse { Job = JobMapper.ToContract(jobs.Cancel(request.JobId, context.Tenant())) });
}
