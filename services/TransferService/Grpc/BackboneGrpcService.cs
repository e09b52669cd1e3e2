using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Core.Backbones;

namespace TransferService.Grpc;

internal sealed class BackboneGrpcService(BackboneRegistry registry) : Contracts.V1.BackboneService.BackboneServiceBase
{
    public override Task<ListBackbonesResponse> ListBackbones(ListBackbonesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListBackbonesResponse { Backbones = { registry.List().Select(BackboneMapper.ToContract) } });

    public override Task<GetBackboneResponse> GetBackbone(GetBackboneRequest request, ServerCallContext context) =>
        Task.FromResult(new GetBackboneResponse { Backbone = BackboneMapper.ToContract(registry.Get(request.Name)) });

    public override async Task<LoadBackboneResponse> LoadBackbone(LoadBackboneRequest request, ServerCallContext context)
    {
        await registry.LoadAsync(request.Name, context.CancellationToken);
        return new LoadBackboneResponse { Backbone = BackboneMapper.ToContract(registry.Get(request.Name)) };
    }

    public override async Task<UnloadBackboneResponse> UnloadBackbone(UnloadBackboneRequest request, ServerCallContext context) =>
        new() { Backbone = BackboneMapper.ToContract(await registry.UnloadAsync(request.Name, context.CancellationToken)) };
}
