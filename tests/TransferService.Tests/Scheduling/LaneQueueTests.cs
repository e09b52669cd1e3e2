using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using TransferService.Contracts.V1;
using TransferService.Core.Scheduling;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Scheduling;

/// <summary>The real server with one CPU lane, the tiny tensor backbone and an interactive queue of four items. The test
/// holds the lane with a turn of its own (standing for a running background slice), so calls queue behind it.</summary>
public sealed class LaneQueueTests : IAsyncLifetime
{
    private const string Backbone = "tiny-queue";
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), $"transfer-queue-{Guid.NewGuid():N}");
    private TestServer _server = null!;
    private LaneScheduler _lane = null!;
    private EmbeddingService.EmbeddingServiceClient _embeddings = null!;
    private BackboneService.BackboneServiceClient _backbones = null!;

    public async Task InitializeAsync()
    {
        TinyTensorBackbone.Create(Path.Combine(_dataFolder, "models"), Backbone);
        _server = await TestServer.StartAsync(_dataFolder, new Dictionary<string, string?>
        {
            ["Backbones:Preload"] = "",
            ["Lanes:Devices"] = "cpu",
            ["Batching:MaxDelay"] = "00:00:00",
            ["Scheduling:MaxQueuedItems:Interactive"] = "4",
        });
        _lane = _server.App.Services.GetRequiredService<LaneSchedulers>()["cpu"];
        _embeddings = new EmbeddingService.EmbeddingServiceClient(_server.Channel);
        _backbones = new BackboneService.BackboneServiceClient(_server.Channel);
        await _backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = Backbone });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { }
    }

    private static EmbedRequest Request(int inputs) => new()
    {
        Backbone = Backbone,
        Inputs = { Enumerable.Range(0, inputs).Select(i => new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { i, 1, 0, 0 } } }) },
    };

    private async Task QueuedAsync(int count)
    {
        for (var i = 0; i < 500 && _lane.Queued != count; i++) await Task.Delay(10);
        Assert.Equal(count, _lane.Queued);
    }

    private async Task<ulong> ItemsEmbeddedAsync() =>
        (await _backbones.GetBackboneAsync(new GetBackboneRequest { Name = Backbone })).Backbone.ItemsEmbedded;

    [Fact]
    public async Task Embed_InteractiveQueueFull_ResourceExhaustedWithRetryInfo()
    {
        var held = await _lane.EnterAsync(new WorkTag("background", Priority.Low), default);
        var first = _embeddings.EmbedAsync(Request(4)).ResponseAsync;
        await QueuedAsync(4);

        var error = await Assert.ThrowsAsync<RpcException>(() => _embeddings.EmbedAsync(Request(1)).ResponseAsync);
        held.Dispose();

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var retry = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60));
        Assert.Equal(TinyTensorBackbone.Expected([3, 1, 0, 0]), (await first).Embeddings.Skip(9).ToArray());
    }

    [Fact]
    public async Task Embed_DeadlinePassesWhileQueued_DroppedBeforeItRuns()
    {
        var before = await ItemsEmbeddedAsync();
        var held = await _lane.EnterAsync(new WorkTag("background", Priority.Low), default);

        var expired = _embeddings.EmbedAsync(Request(3), deadline: DateTime.UtcNow.AddMilliseconds(500)).ResponseAsync;
        var error = await Assert.ThrowsAsync<RpcException>(() => expired);
        await QueuedAsync(0);
        held.Dispose();
        await _embeddings.EmbedAsync(Request(1));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(before + 1, await ItemsEmbeddedAsync());
    }
}
