using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using TransferService.Contracts.V1;
using TransferService.Core.Backbones;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Heads;

/// <summary>Serving trained heads: several at once on one backbone pass, aliases, and export to plain ONNX Runtime.</summary>
[Collection(ServerCollection.Name)]
public sealed class HeadServingTests(ServerFixture server)
{
    private readonly HeadService.HeadServiceClient _heads = new(server.Channel);

    private static ClassifyRequest Request(IEnumerable<Input> inputs, params string[] heads) => new()
    {
        Backbone = "resnet18", TopK = 10, Inputs = { inputs }, Heads = { heads.Select(h => new HeadReference { Name = h }) },
    };

    [Fact]
    public async Task Classify_ThreeHeads_SameAsThreeSingleCallsWithOneBackbonePass()
    {
        await TrainedHeads.GetAsync(server);
        var (images, _) = FashionMnist.Load(train: false, count: 8);
        var inputs = images.Select(TestImages.Gray28).ToArray();
        var backbone = await server.App.Services.GetRequiredService<BackboneRegistry>().GetForInferenceAsync("resnet18", "backbone", default);

        var before = backbone.ItemsEmbedded;
        var together = await _heads.ClassifyAsync(Request(inputs, TrainedHeads.Linear, TrainedHeads.Mlp, TrainedHeads.OtherLinear));
        var embedded = backbone.ItemsEmbedded - before;

        Assert.Equal(inputs.Length, embedded);
        string[] names = [TrainedHeads.Linear, TrainedHeads.Mlp, TrainedHeads.OtherLinear];
        for (var h = 0; h < names.Length; h++)
        {
            var alone = await _heads.ClassifyAsync(Request(inputs, names[h]));
            Assert.Equal(names[h], together.Heads[h].Name);
            for (var i = 0; i < inputs.Length; i++)
                foreach (var score in alone.Heads[0].Predictions[i].Top)
                    Assert.Equal(score.Probability, together.Heads[h].Predictions[i].Top.Single(t => t.Label == score.Label).Probability, 1e-6);
        }
    }

    [Fact]
    public async Task ExportHead_RunByPlainOnnxRuntime_GivesClassifyProbabilities()
    {
        await TrainedHeads.GetAsync(server);
        var (images, _) = FashionMnist.Load(train: false, count: 4);
        var rgb = images.Select(TestImages.ToRgb224).ToArray();

        using var export = _heads.ExportHead(new ExportHeadRequest { Head = new HeadReference { Name = TrainedHeads.Mlp } });
        using var file = new MemoryStream();
        string[] inputNames = [];
        var outputName = "";
        await foreach (var chunk in export.ResponseStream.ReadAllAsync())
        {
            if (chunk.InputNames.Count > 0) (inputNames, outputName) = (chunk.InputNames.ToArray(), chunk.OutputName);
            chunk.Chunk.WriteTo(file);
        }
        var classified = await _heads.ClassifyAsync(Request(rgb.Select(TestImages.Pixels), TrainedHeads.Mlp));
        var labels = classified.Heads[0].Predictions[0].Top.Select(t => t.Label).Order().ToArray();

        using var session = new InferenceSession(file.ToArray());
        var planar = rgb.SelectMany(Planar).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(planar, [rgb.Length, 3, 224, 224]);
        using var outputs = session.Run(new RunOptions(), inputNames, [input], [outputName]);
        var probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        var maxDifference = 0.0;
        for (var i = 0; i < rgb.Length; i++)
            foreach (var score in classified.Heads[0].Predictions[i].Top)
                maxDifference = Math.Max(maxDifference, Math.Abs(score.Probability - probabilities[i * labels.Length + Array.IndexOf(labels, score.Label)]));
        Assert.True(maxDifference < 1e-5, $"max abs difference {maxDifference}");
    }

    [Fact]
    public async Task SetHeadAlias_ThenClassifyByAlias_UsesThatVersion()
    {
        var heads = await TrainedHeads.GetAsync(server);
        await _heads.SetHeadAliasAsync(new SetHeadAliasRequest { Name = TrainedHeads.Linear, Alias = "prod", Version = heads.LinearHead.Version });

        var head = (await _heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = TrainedHeads.Linear, Alias = "prod" } })).Head;

        Assert.Equal(heads.LinearHead.Version, head.Version);
        Assert.Contains("prod", head.Aliases);
        var listed = (await _heads.ListHeadsAsync(new ListHeadsRequest())).Heads.Single(h => h.Name == TrainedHeads.Linear);
        Assert.Equal(heads.LinearHead.Version, listed.Aliases["prod"]);
    }

    /// <summary>A head deleted while a Classify is using it: the call, which resolved it first, finishes with it; the
    /// versions are gone after; the service goes on serving. (Deleting used to dispose the scorer under the running call,
    /// which crashed the process, and deleting one version disposed every version's.)</summary>
    [Fact]
    public async Task DeleteHead_WhileAClassifyUsesIt_TheCallFinishesAndTheHeadIsGoneAfter()
    {
        var trained = await TrainedHeads.GetAsync(server);
        var workflow = new HeadWorkflow(server);
        const string name = "deleted-while-used";
        foreach (var seed in new uint[] { 1, 2 })
            await workflow.TrainAsync(new TrainHeadRequest
            {
                Name = name, Backbone = "resnet18", DatasetId = trained.Dataset.Id, Config = new TrainingConfig { Epochs = 2, Seed = seed },
            });
        var (images, _) = FashionMnist.Load(train: false, count: 128);
        var inputs = images.Select(TestImages.Gray28).ToArray();
        var bothVersions = new[] { new HeadReference { Name = name, Version = 1 }, new HeadReference { Name = name, Version = 2 } };
        // Scorers cached, as in a serving process.
        await _heads.ClassifyAsync(new ClassifyRequest { Backbone = "resnet18", Inputs = { inputs[0] }, Heads = { bothVersions } });
        var backbone = await server.App.Services.GetRequiredService<BackboneRegistry>().GetForInferenceAsync("resnet18", "backbone", default);
        var before = backbone.ItemsEmbedded;

        var classify = _heads.ClassifyAsync(new ClassifyRequest { Backbone = "resnet18", Inputs = { inputs }, Heads = { bothVersions }, NearestK = 1 }).ResponseAsync;
        while (backbone.ItemsEmbedded == before && !classify.IsCompleted) await Task.Delay(5);
        await _heads.DeleteHeadAsync(new DeleteHeadRequest { Head = new HeadReference { Name = name, Version = 1 } });
        await _heads.DeleteHeadAsync(new DeleteHeadRequest { Head = new HeadReference { Name = name } });
        var reply = await classify;

        Assert.Equal([1u, 2u], reply.Heads.Select(h => h.Version));
        Assert.All(reply.Heads, h => Assert.Equal(inputs.Length, h.Predictions.Count));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _heads.ClassifyAsync(
            new ClassifyRequest { Backbone = "resnet18", Inputs = { inputs[0] }, Heads = { new HeadReference { Name = name } } }).ResponseAsync, "heads[0].name");
        var other = await _heads.ClassifyAsync(Request(inputs.Take(2), TrainedHeads.Linear));
        Assert.Equal(2, other.Heads[0].Predictions.Count);
    }

    /// <summary>CHW planes from HWC RGB bytes: what the exported resnet18 model takes (its preprocessing is inside).</summary>
    private static float[] Planar(byte[] rgb224)
    {
        var planar = new float[3 * 224 * 224];
        for (var p = 0; p < 224 * 224; p++)
            for (var c = 0; c < 3; c++) planar[c * 224 * 224 + p] = rgb224[p * 3 + c];
        return planar;
    }
}
