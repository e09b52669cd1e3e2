namespace TransferService.Core.Tenants;

/// <summary>One tenant's own limits; an unset limit falls back to the default in <see cref="TenantQuotaOptions"/>.</summary>
public sealed record TenantQuota
{
    public long? MaxStoredBytes { get; init; }
}
