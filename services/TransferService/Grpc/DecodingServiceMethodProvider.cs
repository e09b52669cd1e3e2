using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace TransferService.Grpc;

/// <summary>Replaces grpc-dotnet's binder-based method provider: finds a service's generated
/// <c>BindService(ServiceBinderBase, TBase)</c> and binds it through <see cref="DecodingServiceBinder{TService}"/>,
/// so every method of every service (health and reflection included) refuses undecodable requests as bad input.</summary>
internal sealed class DecodingServiceMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        if (typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true) is not { } bind) return;
        var bindService = bind.BindType
            .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Single(m => m.Name == bind.BindMethodName && m.GetParameters() is [{ ParameterType: var binder }, _] && binder == typeof(ServiceBinderBase));
        var serviceBase = bindService.GetParameters()[1].ParameterType;
        // The service instance is null: grpc-dotnet creates one per call; the binder only needs the method list.
        bindService.Invoke(null, [new DecodingServiceBinder<TService>(context, serviceBase), null]);
    }
}
