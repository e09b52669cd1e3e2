using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Security;

namespace TransferService.Security;

/// <summary>Turns the <c>authorization: Bearer &lt;key&gt;</c> metadata into a <see cref="Caller"/> and checks its
/// role for the method, before the service method runs. An admin may act for another tenant with the
/// <c>x-tenant</c> metadata. Runs inside <see cref="Grpc.ErrorInterceptor"/>, which maps its refusals.</summary>
internal sealed class AuthenticationInterceptor(ApiKeyStore keys, IOptions<SecurityOptions> options) : Interceptor
{
    public const string TenantHeader = "x-tenant";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (AccessPolicy.IsOpen(context.Method)) return;
        var caller = Identify(context);
        if (!AccessPolicy.Allows(caller, context.Method))
            throw new TransferException(ErrorCode.PermissionDenied, $"this call needs the {AccessPolicy.RequiredRole(context.Method).ToString().ToLowerInvariant()} role");
        context.SetCaller(ForTenant(caller, context.RequestHeaders.GetValue(TenantHeader)));
    }

    private Caller Identify(ServerCallContext context)
    {
        if (!options.Value.RequireApiKeys && keys.List().Count == 0) return Caller.Anonymous;
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null)
            throw new TransferException(ErrorCode.Unauthenticated, "this service requires an API key: send the metadata 'authorization: Bearer <key>'");
        const string scheme = "Bearer ";
        var key = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? keys.Authenticate(header[scheme.Length..].Trim()) : null;
        if (key is null) throw new TransferException(ErrorCode.Unauthenticated, "the API key is not valid (unknown, revoked or malformed)");
        return new Caller(key.Tenant, key.Roles.ToHashSet(), key.Id);
    }

    private static Caller ForTenant(Caller caller, string? tenant)
    {
        if (string.IsNullOrEmpty(tenant) || tenant == caller.Tenant) return caller;
        if (!caller.IsAdmin) throw new TransferException(ErrorCode.PermissionDenied, $"only an admin may act for another tenant ({TenantHeader})");
        if (!ModelRepository.IsValidName(tenant))
            throw TransferException.Invalid(TenantHeader, $"{TenantHeader} '{tenant}' must be 1-63 characters of a-z, 0-9, '.', '_', '-'");
        return caller with { Tenant = tenant };
    }
}
