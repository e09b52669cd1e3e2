using System.Collections.Concurrent;
using TransferService.Core.Datasets;
using TransferService.Core.Heads;

namespace TransferService.Core.Tenants;

/// <summary>Each tenant's datasets and heads, in <c>&lt;data&gt;/tenants/&lt;tenant&gt;/{datasets,heads}</c>: a tenant
/// reaches only its own folder, so another tenant's names are simply not there (NotFound, never PermissionDenied).
/// Tenant names are validated where callers are made (API keys), so they are safe folder names.</summary>
public sealed class TenantStores(string root, IExampleValidator validator)
{
    private readonly ConcurrentDictionary<string, DatasetStore> _datasets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HeadStore> _heads = new(StringComparer.Ordinal);

    public string Root { get; } = Path.GetFullPath(root);

    public DatasetStore Datasets(string tenant) =>
        _datasets.GetOrAdd(tenant, t => new DatasetStore(Path.Combine(Root, t, "datasets"), validator));

    public HeadStore Heads(string tenant) =>
        _heads.GetOrAdd(tenant, t => new HeadStore(Path.Combine(Root, t, "heads")));

    /// <summary>Moves the <c>datasets</c> and <c>heads</c> folders of a data folder written before tenants existed
    /// into the default tenant, once, so an upgrade keeps what was stored.</summary>
    public TenantStores AdoptUntenantedData(string dataFolder, string defaultTenant)
    {
        foreach (var kind in new[] { "datasets", "heads" })
        {
            var legacy = Path.Combine(dataFolder, kind);
            var target = Path.Combine(Root, defaultTenant, kind);
            if (!Directory.Exists(legacy) || Directory.Exists(target)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(legacy, target);
        }
        return this;
    }
}
