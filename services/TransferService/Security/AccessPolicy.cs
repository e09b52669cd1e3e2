using TransferService.Core.Security;

namespace TransferService.Security;

/// <summary>Which calls need no key, and which need the admin role; every other call needs the user or admin role.</summary>
internal static class AccessPolicy
{
    private static readonly HashSet<string> AdminMethods = new(StringComparer.Ordinal)
    {
        "/transfer.v1.BackboneService/LoadBackbone",
        "/transfer.v1.BackboneService/UnloadBackbone",
        "/transfer.v1.AccessService/CreateApiKey",
        "/transfer.v1.AccessService/RevokeApiKey",
        "/transfer.v1.AccessService/ListApiKeys",
    };

    /// <summary>Health stays open for probes and load balancers; reflection only describes the contract.</summary>
    public static bool IsOpen(string method) =>
        method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal) ||
        method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);

    public static Role RequiredRole(string method) => AdminMethods.Contains(method) ? Role.Admin : Role.User;

    public static bool Allows(Caller caller, string method) =>
        RequiredRole(method) == Role.Admin ? caller.IsAdmin : caller.Roles.Contains(Role.User) || caller.IsAdmin;
}
