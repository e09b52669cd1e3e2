using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace TransferService.Tests.Infrastructure;

/// <summary>The real service on a loopback port with its real built-in backbones, in a fresh data folder,
/// on two CPU lanes (as two GPUs would be), reached through a real gRPC channel. Shared by the test run.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const int MaxReceiveMessageBytes = 8 * 1024 * 1024;

    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), $"transfer-tests-{Guid.NewGuid():N}");
    public string ModelRepository => Path.Combine(DataFolder, "models");
    /// <summary>Server-side extraction sources are read from here (<c>Extraction:ImportRoot</c>).</summary>
    public string ImportRoot => Path.Combine(DataFolder, "imports");
    /// <summary>Small extraction chunks, so a few hundred rows span several checkpoints.</summary>
    public const int ExtractionChunkSize = 64;
    private TestServer _server = null!;

    public WebApplication App => _server.App;
    public GrpcChannel Channel => _server.Channel;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(DataFolder, new Dictionary<string, string?>
        {
            ["Service:MaxReceiveMessageBytes"] = MaxReceiveMessageBytes.ToString(),
            ["Lanes:Devices"] = "cpu,cpu:1",
            // One job at a time, so the job tests can hold one queued behind a running one.
            ["Jobs:MaxConcurrent"] = "1",
            ["Extraction:ImportRoot"] = ImportRoot,
            ["Extraction:ChunkSize"] = ExtractionChunkSize.ToString(),
        });
        Directory.CreateDirectory(ImportRoot);
        await _server.WaitUntilServingAsync(TimeSpan.FromMinutes(3));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
