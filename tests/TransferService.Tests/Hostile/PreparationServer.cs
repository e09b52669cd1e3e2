using Grpc.Health.V1;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>The real service (resnet18, two CPU lanes) with a small preparation budget: 16 MiB for all calls,
/// 4 MiB (six 224×224 images) per call, and a 64 MiB message limit so large images fit in one call.</summary>
public sealed class PreparationServer : IAsyncLifetime
{
    public const long MaxPreparedBytes = 16L * 1024 * 1024;
    public const long MaxPreparedBytesPerRequest = 4L * 1024 * 1024;

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), $"transfer-preparation-{Guid.NewGuid():N}");
    private TestServer _server = null!;

    public EmbeddingService.EmbeddingServiceClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(_dataFolder, new Dictionary<string, string?>
        {
            ["Service:MaxReceiveMessageBytes"] = (64 * 1024 * 1024).ToString(),
            ["Lanes:Devices"] = "cpu,cpu:1",
            ["Backbones:Preload"] = "resnet18",
            ["Embedding:MaxPreparedBytes"] = MaxPreparedBytes.ToString(),
            ["Embedding:MaxPreparedBytesPerRequest"] = MaxPreparedBytesPerRequest.ToString(),
        });
        Client = new EmbeddingService.EmbeddingServiceClient(_server.Channel);
        await _server.WaitUntilServingAsync(TimeSpan.FromMinutes(3));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { }
    }
}
