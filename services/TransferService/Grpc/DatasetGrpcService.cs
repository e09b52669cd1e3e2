using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using TransferService.Contracts.V1;
using TransferService.Core.Datasets;
using TransferService.Core.Errors;
using TransferService.Core.Tenants;
using TransferService.Hosting;
using TransferService.Security;

namespace TransferService.Grpc;

/// <summary>Datasets of the caller's tenant.</summary>
internal sealed class DatasetGrpcService(TenantStores stores, TenantQuotas quotas, IOptions<ServiceOptions> options) : DatasetService.DatasetServiceBase
{
    public override async Task<UploadDatasetResponse> UploadDataset(IAsyncStreamReader<UploadDatasetRequest> requestStream, ServerCallContext context)
    {
        var tenant = context.Tenant();
        var room = quotas.RemainingBytes(tenant, "examples");
        var datasets = stores.Datasets(tenant);
        using var idle = new StreamIdleTimer(options.Value.StreamIdleTimeout, context.CancellationToken);
        DatasetUpload? upload = null;
        try
        {
            await foreach (var message in requestStream.ReadAllAsync(idle.Token))
            {
                idle.Progressed();
                upload ??= datasets.BeginUpload(message.Name, room);
                foreach (var example in message.Examples)
                {
                    var field = $"examples[{upload.Count}]";
                    Core.Inputs.EmbeddingInput input;
                    try { input = InputMapper.ToCore(example.Input); }
                    catch (TransferException e) { throw e.WithFieldPrefix(field); }
                    upload.Add(new Core.Datasets.LabeledExample(input, example.Label), field);
                }
            }
            if (upload is null) throw TransferException.Invalid("examples", "the upload holds no examples");
            if (!ClientCompletedStream(context))
                throw new TransferException(ErrorCode.Cancelled, "the upload stream ended without the client completing it; nothing was stored", "examples");
            // Checked again right before the publishing rename: a cancel that arrives while the last examples
            // are written must still leave nothing behind.
            return new UploadDatasetResponse { Dataset = ToContract(upload.Complete(context.CancellationToken)) };
        }
        catch (OperationCanceledException) when (idle.Expired)
        {
            throw idle.Timeout("examples");
        }
        finally
        {
            upload?.Dispose();
        }
    }

    /// <summary>A clean end of the message stream is not proof the client finished: only END_STREAM is, and
    /// Kestrel marks request trailers available exactly when END_STREAM arrives (not on a reset).</summary>
    private static bool ClientCompletedStream(ServerCallContext context) =>
        !context.CancellationToken.IsCancellationRequested
        && context.GetHttpContext().Features.Get<IHttpRequestTrailersFeature>() is not { Available: false };

    public override Task<GetDatasetResponse> GetDataset(GetDatasetRequest request, ServerCallContext context) =>
        Task.FromResult(new GetDatasetResponse { Dataset = ToContract(stores.Datasets(context.Tenant()).Get(request.DatasetId)) });

    public override Task<ListDatasetsResponse> ListDatasets(ListDatasetsRequest request, ServerCallContext context) =>
        Task.FromResult(new ListDatasetsResponse { Datasets = { stores.Datasets(context.Tenant()).List().Select(ToContract) } });

    public override Task<DeleteDatasetResponse> DeleteDataset(DeleteDatasetRequest request, ServerCallContext context)
    {
        stores.Datasets(context.Tenant()).Delete(request.DatasetId);
        return Task.FromResult(new DeleteDatasetResponse());
    }

    private static Dataset ToContract(DatasetInfo info) => new()
    {
        Id = info.Id,
        Name = info.Name,
        Count = (uint)info.Count,
        LabelCounts = { info.LabelCounts.ToDictionary(l => l.Key, l => (uint)l.Value) },
        Created = Timestamp.FromDateTimeOffset(info.Created),
        Damaged = info.Damaged ?? "",
    };
}
