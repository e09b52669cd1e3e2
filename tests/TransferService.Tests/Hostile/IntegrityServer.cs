using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>A server of its own on a fresh data folder (so a test may damage files or count datasets exactly),
/// reusing the shared fixture's installed models and loading none at start. Owns and deletes its folder.</summary>
public sealed class IntegrityServer : IAsyncDisposable
{
    private IntegrityServer(string dataFolder, TestServer server) => (DataFolder, Server) = (dataFolder, server);

    public string DataFolder { get; }
    public TestServer Server { get; private set; }
    public string Datasets => Path.Combine(DataFolder, "tenants", "default", "datasets");
    public string Heads => Path.Combine(DataFolder, "tenants", "default", "heads");

    public static async Task<IntegrityServer> StartAsync(ServerFixture fixture, string? dataFolder = null)
    {
        var folder = dataFolder ?? Path.Combine(Path.GetTempPath(), $"integrity-{Guid.NewGuid():N}");
        return new IntegrityServer(folder, await TestServer.StartAsync(folder, Settings(fixture)));
    }

    /// <summary>Stops the server and starts another on the same folder, as a restart after a crash would.</summary>
    public async Task RestartAsync(ServerFixture fixture)
    {
        await Server.DisposeAsync();
        Server = await TestServer.StartAsync(DataFolder, Settings(fixture));
    }

    private static Dictionary<string, string?> Settings(ServerFixture fixture) => new()
    {
        ["Backbones:ModelRepository"] = fixture.ModelRepository,
        ["Backbones:Preload"] = "",
        ["Lanes:Devices"] = "cpu",
    };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}
