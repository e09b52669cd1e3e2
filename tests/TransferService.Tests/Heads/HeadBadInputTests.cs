using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Heads;

/// <summary>Bad requests to the head API fail the call with a status naming the field; nothing is queued.</summary>
[Collection(ServerCollection.Name)]
public sealed class HeadBadInputTests(ServerFixture server)
{
    private readonly HeadWorkflow _workflow = new(server);

    private Task Train(string datasetId, TrainingConfig? config = null, string backbone = "minilm", string validation = "") =>
        _workflow.Heads.TrainHeadAsync(new TrainHeadRequest
        {
            Name = "bad", Backbone = backbone, DatasetId = datasetId, ValidationDatasetId = validation, Config = config ?? new TrainingConfig(),
        }).ResponseAsync;

    private Task<Dataset> Texts(params (string Text, string Label)[] examples) =>
        _workflow.UploadAsync("texts", examples.Select(e => (HeadWorkflow.Text(e.Text), e.Label)));

    private Task<Dataset> TwoLabels() => Texts(("good film", "pos"), ("great story", "pos"), ("bad film", "neg"), ("dull story", "neg"));

    [Fact]
    public async Task TrainHead_DatasetWithOneLabel_InvalidArgument()
    {
        var dataset = await Texts(("a", "only"), ("b", "only"));
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Train(dataset.Id), "dataset_id");
    }

    [Fact]
    public async Task TrainHead_LabelLeftWithoutTrainingExample_InvalidArgument()
    {
        var dataset = await Texts(("good", "pos"), ("fine", "pos"), ("bad", "neg"), ("poor", "neg"));
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Train(dataset.Id, new TrainingConfig { ValidationFraction = 0.9f }), "config.validation_fraction");
        Assert.Contains("neg", message);
    }

    [Theory]
    [InlineData("learning_rate")]
    [InlineData("dropout")]
    [InlineData("label_smoothing")]
    [InlineData("validation_fraction")]
    public async Task TrainHead_HyperparameterOutOfRange_InvalidArgumentNamingIt(string field)
    {
        var dataset = await TwoLabels();
        var config = field switch
        {
            "learning_rate" => new TrainingConfig { LearningRate = -0.1f },
            "dropout" => new TrainingConfig { Architecture = HeadArchitecture.Mlp, Dropout = 1f },
            "label_smoothing" => new TrainingConfig { LabelSmoothing = 1.5f },
            _ => new TrainingConfig { ValidationFraction = 1f },
        };
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Train(dataset.Id, config), $"config.{field}");
    }

    [Fact]
    public async Task TrainHead_UnknownDatasetOrBackbone_NotFound()
    {
        var dataset = await TwoLabels();
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Train("ds-nope"), "dataset_id");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Train(dataset.Id, backbone: "no-such-backbone"), "backbone");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Train(dataset.Id, validation: "ds-nope"), "validation_dataset_id");
    }

    [Fact]
    public async Task TrainHead_TextDatasetOnImageBackbone_InvalidArgument()
    {
        var dataset = await TwoLabels();
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Train(dataset.Id, backbone: "resnet18"), "dataset_id");
        Assert.Contains("takes image", message);
    }

    [Fact]
    public async Task Classify_HeadTrainedOnAnotherBackbone_FailedPrecondition()
    {
        await TrainedHeads.GetAsync(server);
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => _workflow.Heads.ClassifyAsync(new ClassifyRequest
        {
            Backbone = "minilm", Inputs = { HeadWorkflow.Text("a text") }, Heads = { new HeadReference { Name = TrainedHeads.Linear } },
        }).ResponseAsync, "heads[0]");
    }

    [Fact]
    public async Task Classify_MoreThanSixteenHeads_InvalidArgumentBeforeAnyWork()
    {
        await TrainedHeads.GetAsync(server);
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _workflow.Heads.ClassifyAsync(new ClassifyRequest
        {
            Backbone = "resnet18", Inputs = { TestImages.Gray28(new byte[28 * 28]) },
            Heads = { Enumerable.Repeat(new HeadReference { Name = TrainedHeads.Linear }, 17) },
        }).ResponseAsync, "heads");
        Assert.Contains("17 heads", message);
    }

    [Fact]
    public async Task HeadApi_UnknownHeadVersionOrAlias_NotFound()
    {
        await TrainedHeads.GetAsync(server);
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => _workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "never-trained" } }).ResponseAsync, "head.name");
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => _workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = TrainedHeads.Linear, Version = 99 } }).ResponseAsync, "head.version");
        await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => _workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = TrainedHeads.Linear, Alias = "nope" } }).ResponseAsync, "head.alias");
    }

    [Fact]
    public async Task UploadDataset_ExampleWithoutLabel_InvalidArgumentNamingItAndNothingStored()
    {
        var before = (await _workflow.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets.Count;
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Texts(("fine", "pos"), ("no label", "")), "examples[1].label");
        Assert.Equal(before, (await _workflow.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets.Count);
    }
}
