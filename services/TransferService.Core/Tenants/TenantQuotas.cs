using TransferService.Core.Errors;
using TransferService.Core.Storage;

namespace TransferService.Core.Tenants;

/// <summary>Checks a tenant's stored bytes against its quota before it stores more.</summary>
public sealed class TenantQuotas(TenantStores stores, TenantQuotaOptions options)
{
    /// <summary>Bytes the tenant may still store; ResourceExhausted (on <paramref name="field"/>) when none.</summary>
    public long RemainingBytes(string tenant, string field)
    {
        var limit = options.StoredBytesFor(tenant);
        var used = UsedBytes(tenant);
        if (used >= limit)
            throw new TransferException(ErrorCode.ResourceExhausted,
                $"tenant '{tenant}' stores {used} bytes, its quota is {limit}; delete datasets or heads first", field);
        return limit - used;
    }

    public long UsedBytes(string tenant) => FolderSize.Bytes(Path.Combine(stores.Root, tenant));
}
