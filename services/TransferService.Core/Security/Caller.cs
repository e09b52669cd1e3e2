namespace TransferService.Core.Security;

/// <summary>Who made a request: the tenant whose data it reads and writes, and its roles.
/// <see cref="KeyId"/> names the API key it presented (empty when the service runs without keys).</summary>
public sealed record Caller(string Tenant, IReadOnlySet<Role> Roles, string KeyId)
{
    public const string DefaultTenant = "default";

    /// <summary>The caller of a service that runs without API keys (the laptop case): the default tenant, every role.</summary>
    public static Caller Anonymous { get; } = new(DefaultTenant, new HashSet<Role> { Role.User, Role.Admin }, "");

    public bool IsAdmin => Roles.Contains(Role.Admin);
}
