namespace TransferService.Core.Security;

/// <summary>A stored API key: only the SHA-256 of its secret is kept, never the secret itself.</summary>
public sealed record ApiKey(string Id, string Tenant, IReadOnlyList<Role> Roles, string SecretSha256, string Description,
    DateTimeOffset Created);
