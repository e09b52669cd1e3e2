using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Core.Errors;
using TransferService.Core.Security;
using ApiKey = TransferService.Contracts.V1.ApiKey;
using Role = TransferService.Contracts.V1.Role;

namespace TransferService.Grpc;

/// <summary>API keys, for admins (the access policy refuses everyone else before a method runs).</summary>
internal sealed class AccessGrpcService(ApiKeyStore keys) : AccessService.AccessServiceBase
{
    public override Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var roles = request.Roles.Select((r, i) => ToCore(r, $"roles[{i}]")).ToArray();
        var (key, secret) = keys.Create(request.Tenant, roles, request.Description);
        return Task.FromResult(new CreateApiKeyResponse { Key = ToContract(key), Secret = secret });
    }

    public override Task<RevokeApiKeyResponse> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        keys.Revoke(request.KeyId);
        return Task.FromResult(new RevokeApiKeyResponse());
    }

    public override Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context) =>
        Task.FromResult(new ListApiKeysResponse { Keys = { keys.List().Select(ToContract) } });

    private static Core.Security.Role ToCore(Role role, string field) => role switch
    {
        Role.User => Core.Security.Role.User,
        Role.Admin => Core.Security.Role.Admin,
        _ => throw TransferException.Invalid(field, $"{field} must be ROLE_USER or ROLE_ADMIN"),
    };

    private static ApiKey ToContract(Core.Security.ApiKey key) => new()
    {
        Id = key.Id,
        Tenant = key.Tenant,
        Roles = { key.Roles.Select(r => r == Core.Security.Role.Admin ? Role.Admin : Role.User) },
        Description = key.Description,
        Created = Timestamp.FromDateTimeOffset(key.Created),
    };
}
