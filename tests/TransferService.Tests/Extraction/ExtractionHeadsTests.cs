using TransferService.Contracts.V1;
using TransferService.Tests.Heads;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Extraction;

/// <summary>An extraction that classifies with heads writes, per row, the same calibrated probabilities Classify answers.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExtractionHeadsTests(ServerFixture server)
{
    [Fact]
    public async Task StartExtraction_WithTwoHeads_PredictionRowsEqualClassify()
    {
        var trained = await TrainedHeads.GetAsync(server);
        var workflow = new ExtractionWorkflow(server.Channel);
        var (images, labels) = FashionMnist.Load(train: false, count: 80);
        var inputs = images.Select(TestImages.Gray28).ToArray();
        var dataset = await new HeadWorkflow(server).UploadAsync("extract-heads", inputs.Select((input, i) => (input, $"class-{labels[i]}")));
        var heads = new[] { new HeadReference { Name = TrainedHeads.Linear }, new HeadReference { Name = TrainedHeads.Mlp } };

        var job = (await workflow.RunAsync(new StartExtractionRequest { Backbone = "resnet18", DatasetId = dataset.Id, Heads = { heads } }))[^1];

        var columns = System.Text.Encoding.UTF8.GetString(await workflow.DownloadAsync(job.Id, ExtractionFile.PredictionColumns)).Split('\n')[..^1];
        var expectedColumns = new[] { trained.LinearHead, trained.MlpHead }.SelectMany(h => h.Labels.Select(l => $"{h.Name} v{h.Version}:{l}"));
        Assert.Equal(expectedColumns, columns);
        var (rows, width, predictions) = await workflow.LoadNumpyAsync(job.Id, ExtractionFile.Predictions);
        Assert.Equal((80, columns.Length), (rows, width));
        var classified = await new HeadService.HeadServiceClient(server.Channel).ClassifyAsync(new ClassifyRequest
        {
            Backbone = "resnet18", Heads = { heads }, Inputs = { inputs }, TopK = 1000,
        });
        var expected = new float[rows * width];
        var offset = 0;
        foreach (var head in classified.Heads)
        {
            var headLabels = head.Predictions[0].Top.Count;
            var names = columns.Skip(offset).Take(headLabels).Select(c => c[(c.IndexOf(':') + 1)..]).ToList();
            for (var row = 0; row < rows; row++)
                foreach (var score in head.Predictions[row].Top)
                    expected[row * width + offset + names.IndexOf(score.Label)] = score.Probability;
            offset += headLabels;
        }
        ExtractionWorkflow.AssertClose(expected, predictions);
        var (_, _, embeddings) = await workflow.LoadNumpyAsync(job.Id, ExtractionFile.Embeddings);
        ExtractionWorkflow.AssertClose(await workflow.EmbedAsync("resnet18", inputs, normalize: false), embeddings);
    }
}
