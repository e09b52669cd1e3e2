using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Backbones;

/// <summary>Placement through the real server: four CPU lanes standing in for four GPUs share the work, and a memory
/// budget that holds one backbone per lane unloads the least recently used idle one, which still answers.</summary>
[Collection(ServerCollection.Name)]
public sealed class BackbonePlacementTests(ServerFixture server)
{
    private Task<TestServer> StartAsync(string devices, Dictionary<string, string?> settings)
    {
        settings["Backbones:ModelRepository"] = server.ModelRepository;
        settings["Backbones:Preload"] = "";
        settings["Lanes:Devices"] = devices;
        settings["Lanes:CpuThreads"] = "1";
        return TestServer.StartAsync(Path.Combine(server.DataFolder, $"placement-{Guid.NewGuid():N}"), settings);
    }

    private static EmbedRequest Texts(int call) => new()
    {
        Backbone = "minilm",
        Inputs = { Enumerable.Range(0, 8).Select(i => new Input { Text = $"call {call} sentence {i}: the invoice was charged twice" }) },
    };

    [Fact]
    public async Task Embed_ConcurrentCallsOnFourLanes_EveryLaneRunsItemsAndAnswersAsOneLaneDoes()
    {
        await using var four = await StartAsync("cpu:0,cpu:1,cpu:2,cpu:3", []);
        var backbones = new BackboneService.BackboneServiceClient(four.Channel);
        var loaded = (await backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = "minilm" })).Backbone;
        Assert.Equal(["cpu:0", "cpu:1", "cpu:2", "cpu:3"], loaded.Lanes);

        var embeddings = new EmbeddingService.EmbeddingServiceClient(four.Channel);
        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(c => embeddings.EmbedAsync(Texts(c)).ResponseAsync));

        var backbone = (await backbones.GetBackboneAsync(new GetBackboneRequest { Name = "minilm" })).Backbone;
        Assert.Equal(["cpu:0", "cpu:1", "cpu:2", "cpu:3"], backbone.Instances.Select(i => i.Lane));
        Assert.All(backbone.Instances, i => Assert.True(i.ItemsEmbedded > 0, $"lane {i.Lane} ran no item"));
        Assert.Equal(128ul, backbone.Instances.Aggregate(0ul, (sum, i) => sum + i.ItemsEmbedded));
        Assert.Equal(128ul, backbone.ItemsEmbedded);
        var reference = new EmbeddingService.EmbeddingServiceClient(server.Channel);
        foreach (var call in new[] { 0, 7, 15 })
        {
            var expected = await reference.EmbedAsync(Texts(call));
            for (var i = 0; i < 8; i++) Assert.True(Vectors.RelativeError(Vectors.Row(replies[call], i), Vectors.Row(expected, i)) < 1e-5);
        }
    }

    [Fact]
    public async Task LoadBackbone_BudgetHoldsOnePerLane_EvictsTheLeastRecentlyUsedIdleOneWhichStillAnswers()
    {
        var resnet = new FileInfo(Path.Combine(server.ModelRepository, "resnet18", "model.onnx")).Length;
        var minilm = new FileInfo(Path.Combine(server.ModelRepository, "minilm", "model.onnx")).Length;
        var budget = Math.Max(resnet, minilm);
        // Too big to sit beside either built-in, small enough for a lane of its own.
        TinyTensorBackbone.Create(server.ModelRepository, "tiny-third", paddingBytes: (int)(budget - Math.Min(resnet, minilm)) + (1 << 20));
        await using var two = await StartAsync("cpu:0,cpu:1", new()
        {
            ["Lanes:MemoryBudgetBytes"] = budget.ToString(), ["Lanes:FootprintFactor"] = "1",
        });
        var backbones = new BackboneService.BackboneServiceClient(two.Channel);
        var embeddings = new EmbeddingService.EmbeddingServiceClient(two.Channel);
        var image = new EmbedRequest { Backbone = "resnet18", Inputs = { TestImages.Pixels(TestImages.ToRgb224(FashionMnist.Load(train: false, 1).Images[0])) } };
        async Task<Backbone> GetAsync(string name) => (await backbones.GetBackboneAsync(new GetBackboneRequest { Name = name })).Backbone;

        var first = await backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = "resnet18" });
        Assert.Equal(["cpu:0", "cpu:1"], first.Backbone.Lanes);
        Assert.Equal((ulong)resnet, first.Backbone.FootprintBytes);
        var before = await embeddings.EmbedAsync(image);                              // uses the copy on cpu:0
        await backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = "minilm" });  // takes cpu:1 from resnet18
        await embeddings.EmbedAsync(Texts(0));                                         // minilm now used after resnet18
        Assert.Equal(["cpu:0"], (await GetAsync("resnet18")).Lanes);

        var third = await backbones.LoadBackboneAsync(new LoadBackboneRequest { Name = "tiny-third" });

        Assert.Equal(["cpu:0"], third.Backbone.Lanes);
        var evicted = await GetAsync("resnet18");
        Assert.Equal((BackboneState.Ready, 0), (evicted.State, evicted.Lanes.Count));
        Assert.Equal(["cpu:1"], (await GetAsync("minilm")).Lanes);

        var after = await embeddings.EmbedAsync(image);

        Assert.True(Vectors.RelativeError(after.Embeddings.ToArray(), before.Embeddings.ToArray()) < 1e-6);
        var placedAgain = await GetAsync("resnet18");
        Assert.Equal((1, 2ul), (placedAgain.Lanes.Count, placedAgain.ItemsEmbedded));
        Assert.Equal(["cpu:1"], placedAgain.Lanes);                  // minilm, used before tiny-third was loaded, made room
        Assert.Empty((await GetAsync("minilm")).Lanes);
    }

    [Fact]
    public async Task LoadBackbone_BiggerThanEveryLaneBudget_ResourceExhaustedNamingTheField()
    {
        TinyTensorBackbone.Create(server.ModelRepository, "tiny-too-big", paddingBytes: 1 << 20);
        await using var small = await StartAsync("cpu:0,cpu:1", new() { ["Lanes:MemoryBudgetBytes"] = (1 << 20).ToString() });

        var load = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted,
            () => new BackboneService.BackboneServiceClient(small.Channel).LoadBackboneAsync(new LoadBackboneRequest { Name = "tiny-too-big" }).ResponseAsync, "name");
        await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => new EmbeddingService.EmbeddingServiceClient(small.Channel).EmbedAsync(new EmbedRequest
        {
            Backbone = "tiny-too-big", Inputs = { new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { 1, 2, 3, 4 } } } },
        }).ResponseAsync, "backbone");

        Assert.Contains("the largest lane budget is 1048576 bytes", load);
        Assert.DoesNotContain(server.DataFolder, load);
    }
}
