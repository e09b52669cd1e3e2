using Grpc.Core;
using Grpc.Core.Interceptors;
using TransferService.Security;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>The real service with API keys required, a tiny tensor backbone (fast to train heads on) and a small
/// stored-bytes quota for the tenant "small". Keys are made with the service's own <c>keys</c> command.</summary>
public sealed class SecuredServer : IAsyncLifetime
{
    public const string Backbone = "tiny-secure";
    public const long SmallQuotaBytes = 4096;

    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), $"transfer-secure-{Guid.NewGuid():N}");
    public TestServer Server { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";
    public string AliceKey { get; private set; } = "";
    public string BobKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        TinyTensorBackbone.Create(Path.Combine(DataFolder, "models"), Backbone);
        AdminKey = CreateKey("--tenant", "ops", "--role", "admin");
        AliceKey = CreateKey("--tenant", "alice", "--role", "user");
        BobKey = CreateKey("--tenant", "bob", "--role", "user");
        Server = await TestServer.StartAsync(DataFolder, new Dictionary<string, string?>
        {
            ["Security:RequireApiKeys"] = "true",
            ["Security:EnableReflection"] = "false",
            ["Tenants:Overrides:small:MaxStoredBytes"] = SmallQuotaBytes.ToString(),
            ["Backbones:Preload"] = "",
            ["Lanes:Devices"] = "cpu",
        });
        await Server.WaitUntilServingAsync(TimeSpan.FromMinutes(3));
    }

    /// <summary>Runs <c>keys create … --data-folder</c> as an admin would and returns the key it printed.</summary>
    public string CreateKey(params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = KeysCommand.Run(["keys", "create", .. arguments, "--data-folder", DataFolder], output, error);
        Assert.True(code == 0, error.ToString());
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
    }

    /// <summary>A call invoker that presents <paramref name="key"/> (and acts for <paramref name="tenant"/> when given).</summary>
    public CallInvoker As(string? key, string? tenant = null) => Server.Channel.Intercept(metadata =>
    {
        if (key is not null) metadata.Add("authorization", $"Bearer {key}");
        if (tenant is not null) metadata.Add(AuthenticationInterceptor.TenantHeader, tenant);
        return metadata;
    });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}
