using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Backbones;

[Collection(ServerCollection.Name)]
public sealed class BackboneServiceTests(ServerFixture server)
{
    private readonly BackboneService.BackboneServiceClient _backbones = new(server.Channel);
    private readonly EmbeddingService.EmbeddingServiceClient _embeddings = new(server.Channel);

    [Fact]
    public async Task ListBackbones_BuiltIns_ReadyOnEveryLaneWithTheirContract()
    {
        var list = await _backbones.ListBackbonesAsync(new ListBackbonesRequest());

        var resnet = list.Backbones.Single(b => b.Name == "resnet18");
        Assert.Equal((Modality.Image, 512u, BackboneState.Ready), (resnet.Modality, resnet.Dimension, resnet.State));
        Assert.Equal(["cpu", "cpu:1"], resnet.Lanes);
        Assert.Equal(224u, resnet.Input.Image.Width);
        var minilm = list.Backbones.Single(b => b.Name == "minilm");
        Assert.Equal((Modality.Text, 384u, Pooling.MaskedMean), (minilm.Modality, minilm.Dimension, minilm.Pooling));
        Assert.Equal(256u, minilm.Input.Text.MaxTokens);
    }

    [Fact]
    public async Task LoadBackbone_NewUserFolder_PickedUpWithoutRestartAndUnloadable()
    {
        TinyTensorBackbone.Create(server.ModelRepository, "tiny-load");

        var loaded = await _backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = "tiny-load" });
        Assert.Equal((BackboneState.Ready, "7", 3u), (loaded.Backbone.State, loaded.Backbone.Version, loaded.Backbone.Dimension));
        var reply = await _embeddings.EmbedAsync(new EmbedRequest
        {
            Backbone = "tiny-load", Inputs = { new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { 1, 2, 3, 4 } } } },
        });
        Assert.Equal(TinyTensorBackbone.Expected([1, 2, 3, 4]), reply.Embeddings.ToArray());

        var unloaded = await _backbones.UnloadBackboneAsync(new UnloadBackboneRequest { Name = "tiny-load" });
        Assert.Equal(BackboneState.Available, unloaded.Backbone.State);
        Assert.Empty(unloaded.Backbone.Lanes);
    }

    [Fact]
    public async Task Embed_BackboneNotLoaded_LoadsOnDemand()
    {
        TinyTensorBackbone.Create(server.ModelRepository, "tiny-on-demand");
        Assert.Equal(BackboneState.Available, (await _backbones.GetBackboneAsync(new GetBackboneRequest { Name = "tiny-on-demand" })).Backbone.State);

        await _embeddings.EmbedAsync(new EmbedRequest
        {
            Backbone = "tiny-on-demand", Inputs = { new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { 0, 0, 0, 1 } } } },
        });

        Assert.Equal(BackboneState.Ready, (await _backbones.GetBackboneAsync(new GetBackboneRequest { Name = "tiny-on-demand" })).Backbone.State);
    }

    [Theory]
    [InlineData("""{ "modality": "tensor", "output": "y", "dimension": 0, "tensor": { "input": "x", "shape": [4] } }""", "dimension")]
    [InlineData("""{ "modality": "video", "output": "y", "dimension": 3 }""", "modality")]
    [InlineData("""{ "modality": "tensor", "output": "nope", "dimension": 3, "tensor": { "input": "x", "shape": [4] } }""", "output")]
    [InlineData("""{ "modality": "tensor", "output": "y", "dimension": 3, "tensor": { "input": "x", "shape": [5] } }""", "tensor.shape")]
    [InlineData("""{ "modality": "tensor", "output": "y", "dimension": 3, "tensor": { "input": "x", "shape": [4] }, "colour": 1 }""", "colour")]
    public async Task LoadBackbone_BadManifest_InvalidArgumentNamingTheField(string manifest, string field)
    {
        var name = $"tiny-bad-{Guid.NewGuid():N}"[..20];
        TinyTensorBackbone.Create(server.ModelRepository, name, manifest);

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = name }).ResponseAsync, field);
        Assert.Equal(BackboneState.Failed, (await _backbones.GetBackboneAsync(new GetBackboneRequest { Name = name })).Backbone.State);
    }

    [Fact]
    public async Task GetBackbone_Unknown_NotFound() =>
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _backbones.GetBackboneAsync(new GetBackboneRequest { Name = "nothing-here" }).ResponseAsync, "name");

    [Fact]
    public async Task Health_AfterWarmup_Serving()
    {
        var health = new Health.HealthClient(server.Channel);
        var reply = await health.CheckAsync(new HealthCheckRequest { Service = "transfer.v1.EmbeddingService" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Health_UnknownService_CheckNotFoundAndWatchServiceUnknown()
    {
        var health = new Health.HealthClient(server.Channel);

        var check = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);
        using var watch = health.Watch(new HealthCheckRequest { Service = "no.such.Service" });
        Assert.True(await watch.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.NotFound, check.StatusCode);
        Assert.Contains("no.such.Service", check.Status.Detail);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.ServiceUnknown, watch.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Reflection_ListsTheContractServices()
    {
        var reflection = new ServerReflection.ServerReflectionClient(server.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("transfer.v1.EmbeddingService", services);
        Assert.Contains("transfer.v1.BackboneService", services);
    }
}
