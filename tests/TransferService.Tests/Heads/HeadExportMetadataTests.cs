using System.Text.Json;
using Grpc.Core;
using Microsoft.ML.OnnxRuntime;
using TransferService.Contracts.V1;
using TransferService.Tests.Hostile;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Heads;

/// <summary>An exported file says what its output columns mean and how to prepare its inputs, read the way a
/// user would: plain ONNX Runtime's model metadata.</summary>
[Collection(ServerCollection.Name)]
public sealed class HeadExportMetadataTests(ServerFixture server)
{
    private readonly HeadService.HeadServiceClient _heads = new(server.Channel);

    [Fact]
    public async Task ExportHead_ImageHead_MetadataHoldsLabelsInOrderPreprocessingAndHead()
    {
        var head = (await TrainedHeads.GetAsync(server)).LinearHead;

        var (metadata, first) = await ExportAsync(head.Name);

        Assert.Equal(head.Labels, JsonSerializer.Deserialize<string[]>(metadata["labels"]));
        Assert.Equal(head.Labels, first.Labels);
        Assert.Equal((head.Name, head.Version.ToString(), "resnet18", head.BackboneVersion),
            (metadata["head.name"], metadata["head.version"], metadata["head.backbone"], metadata["head.backbone_version"]));
        Assert.True(head.HasFamiliarityThreshold);
        Assert.Equal(head.FamiliarityThreshold, float.Parse(metadata["head.familiarity_threshold"], System.Globalization.CultureInfo.InvariantCulture));
        var preprocessing = JsonDocument.Parse(metadata["preprocessing"]).RootElement;
        Assert.Equal(("image", "OriginalInput", 224, 224, "rgb"), (preprocessing.GetProperty("modality").GetString(),
            preprocessing.GetProperty("input").GetString(), preprocessing.GetProperty("width").GetInt32(),
            preprocessing.GetProperty("height").GetInt32(), preprocessing.GetProperty("channelOrder").GetString()));
        Assert.Equal([255, 255, 255], preprocessing.GetProperty("background").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([0f, 0f, 0f], preprocessing.GetProperty("mean").EnumerateArray().Select(v => v.GetSingle()));
    }

    [Fact]
    public async Task ExportHead_TextHead_PreprocessingHoldsVocabularyFactsAndInputs()
    {
        await IntegrityTextHeads.EnsureTrainedAsync(server);
        var head = (await _heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = IntegrityTextHeads.First } })).Head;

        var (metadata, first) = await ExportAsync(head.Name);

        Assert.Equal(head.Labels, JsonSerializer.Deserialize<string[]>(metadata["labels"]));
        Assert.Equal(head.Labels, first.Labels);
        var preprocessing = JsonDocument.Parse(metadata["preprocessing"]).RootElement;
        var vocabulary = preprocessing.GetProperty("vocabulary");
        // bert-base-uncased's vocabulary, as all-MiniLM-L6-v2 uses it.
        Assert.Equal((30522, 101, 102, 100), (vocabulary.GetProperty("size").GetInt32(), vocabulary.GetProperty("clsId").GetInt32(),
            vocabulary.GetProperty("sepId").GetInt32(), vocabulary.GetProperty("unkId").GetInt32()));
        Assert.Equal(64, vocabulary.GetProperty("sha256").GetString()!.Length);
        Assert.Equal(("text", true, 256), (preprocessing.GetProperty("modality").GetString(),
            preprocessing.GetProperty("lowercase").GetBoolean(), preprocessing.GetProperty("maxTokens").GetInt32()));
        Assert.Equal(first.InputNames.Order(), new[] { "attentionMask", "inputIds", "tokenTypeIds" }
            .Select(p => preprocessing.GetProperty(p).GetString()!).Where(n => n.Length > 0).Order());
    }

    private async Task<(IReadOnlyDictionary<string, string> Metadata, ExportHeadResponse First)> ExportAsync(string head)
    {
        using var export = _heads.ExportHead(new ExportHeadRequest { Head = new HeadReference { Name = head } });
        using var file = new MemoryStream();
        ExportHeadResponse? first = null;
        await foreach (var chunk in export.ResponseStream.ReadAllAsync())
        {
            first ??= chunk;
            chunk.Chunk.WriteTo(file);
        }
        using var session = new InferenceSession(file.ToArray());
        return (new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap), first!);
    }
}
