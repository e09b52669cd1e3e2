using TransferService.Core.Tests.Datasets;
using TransferService.Core.Errors;
using TransferService.Core.Tenants;

namespace TransferService.Core.Tests.Tenants;

public sealed class TenantQuotasTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"tenants-{Guid.NewGuid():N}");

    [Fact]
    public void RemainingBytes_CountsOnlyThatTenantsFiles_AndOverridesApply()
    {
        var stores = new TenantStores(_root, new AcceptingExampleValidator());
        Write("acme/datasets/ds-1/examples.bin", 600);
        Write("acme/heads/h/v1.head", 300);
        Write("other/datasets/ds-2/examples.bin", 5000);
        var quotas = new TenantQuotas(stores, new TenantQuotaOptions
        {
            MaxStoredBytes = 1000, Overrides = { ["big"] = new TenantQuota { MaxStoredBytes = 10_000 } },
        });

        Assert.Equal(900, quotas.UsedBytes("acme"));
        Assert.Equal(100, quotas.RemainingBytes("acme", "examples"));
        Assert.Equal(10_000, quotas.RemainingBytes("big", "examples"));
        var error = Assert.Throws<TransferException>(() => quotas.RemainingBytes("other", "examples"));
        Assert.Equal((ErrorCode.ResourceExhausted, "examples"), (error.Code, error.Field));
    }

    [Fact]
    public void AdoptUntenantedData_MovesOldFoldersIntoDefaultTenantOnce()
    {
        var data = Path.Combine(_root, "data");
        Write("data/datasets/ds-1/dataset.json", 10);
        Write("data/heads/h/v1.head", 10);

        var stores = new TenantStores(Path.Combine(data, "tenants"), new AcceptingExampleValidator()).AdoptUntenantedData(data, "default");

        Assert.True(File.Exists(Path.Combine(stores.Root, "default", "datasets", "ds-1", "dataset.json")));
        Assert.True(File.Exists(Path.Combine(stores.Root, "default", "heads", "h", "v1.head")));
        Assert.False(Directory.Exists(Path.Combine(data, "datasets")));
    }

    private void Write(string relative, int bytes)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
