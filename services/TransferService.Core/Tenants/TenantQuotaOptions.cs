namespace TransferService.Core.Tenants;

/// <summary>What one tenant may hold. <see cref="Overrides"/> sets other limits for named tenants
/// (<c>Tenants:Overrides:acme:MaxStoredBytes</c>).</summary>
public sealed record TenantQuotaOptions
{
    public const string Section = "Tenants";

    /// <summary>Bytes of datasets and heads one tenant may store.</summary>
    public long MaxStoredBytes { get; init; } = 10L * 1024 * 1024 * 1024;

    public Dictionary<string, TenantQuota> Overrides { get; init; } = new(StringComparer.Ordinal);

    public long StoredBytesFor(string tenant) =>
        Overrides.TryGetValue(tenant, out var quota) && quota.MaxStoredBytes is { } bytes ? bytes : MaxStoredBytes;
}
