using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Valid hyperparameters that would cost hours or gigabytes are refused by TrainHead itself, naming the
/// limit and the field that drives it, before any job is queued.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobsCostLimitTests(ServerFixture server)
{
    private readonly HeadWorkflow _workflow = new(server);

    private async Task<string> RefusedAsync(HeadWorkflow workflow, int texts, TrainingConfig config, string field)
    {
        var dataset = await workflow.UploadAsync("jobs-cost", JobsTraining.Reviews(texts));
        return await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => workflow.Heads.TrainHeadAsync(JobsTraining.Request("jobs-cost", dataset.Id, config)).ResponseAsync, field);
    }

    /// <summary>A server of its own (in a folder of the fixture's) whose Jobs:MaxTrainingBytes is <paramref name="maxTrainingBytes"/>.</summary>
    private Task<TestServer> MemoryLimitedServerAsync(string folder, long maxTrainingBytes) =>
        TestServer.StartAsync(Path.Combine(server.DataFolder, folder), new Dictionary<string, string?>
        {
            ["Backbones:ModelRepository"] = server.ModelRepository, ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu",
            ["Jobs:MaxTrainingBytes"] = maxTrainingBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    [Fact]
    public async Task TrainHead_FourHiddenLayersOf8192On2000Texts_InvalidArgumentOnHiddenSizes()
    {
        var config = new TrainingConfig { Architecture = HeadArchitecture.Mlp, HiddenSizes = { 8192, 8192, 8192, 8192 }, Epochs = 100_000, BatchSize = 1 };

        var message = await RefusedAsync(_workflow, 2000, config, "config.hidden_sizes");

        // 384·8192 + 3·8192² + 8192·2 weights and 4·8192 + 2 biases.
        Assert.Contains("204,521,474 parameters", message);
        Assert.Contains("Jobs:MaxHeadParameters is 50,000,000", message);
    }

    [Fact]
    public async Task TrainHead_100000EpochsOfBatch1_InvalidArgumentOnEpochs()
    {
        var message = await RefusedAsync(_workflow, 100, new TrainingConfig { Epochs = 100_000, BatchSize = 1 }, "config.epochs");

        Assert.Contains("100,000 epochs of 80 steps (batch_size 1) make 8,000,000 optimizer steps", message);
        Assert.Contains("Jobs:MaxTrainingSteps is 2,000,000", message);
    }

    [Fact]
    public async Task TrainHead_MaxStepsOverTheLimit_InvalidArgumentOnMaxSteps()
    {
        var message = await RefusedAsync(_workflow, 100, new TrainingConfig { Epochs = 100_000, BatchSize = 1, MaxSteps = 2_500_000 }, "config.max_steps");

        Assert.Contains("2,500,000 optimizer steps", message);
    }

    [Fact]
    public async Task TrainHead_OverTheMemoryLimit_InvalidArgumentNamingTheLargestShare()
    {
        await using var limited = await MemoryLimitedServerAsync("jobs-memory", 100000);
        var workflow = new HeadWorkflow(limited.Channel);

        // 100 texts × 384 floats resident: 153,600 bytes of embeddings outweigh a linear head's 770 parameters.
        var linear = await RefusedAsync(workflow, 100, new TrainingConfig(), "dataset_id");
        var mlp = await RefusedAsync(workflow, 100, new TrainingConfig { Architecture = HeadArchitecture.Mlp, HiddenSizes = { 1024 } }, "config.hidden_sizes");

        Assert.Contains("embeddings 153,600", linear);
        Assert.Contains("Jobs:MaxTrainingBytes is 100,000", linear);
        Assert.Contains("Jobs:MaxTrainingBytes is 100,000", mlp);
    }

    [Fact]
    public async Task TrainHead_SixteenLinearCandidatesSideBySideOverTheMemoryLimit_InvalidArgumentOnCandidates()
    {
        await using var limited = await MemoryLimitedServerAsync("jobs-memory-stacked", 400000);
        var workflow = new HeadWorkflow(limited.Channel);
        var dataset = await workflow.UploadAsync("jobs-cost", JobsTraining.Reviews(100));
        var request = new TrainHeadRequest { Name = "jobs-cost", Backbone = "minilm", DatasetId = dataset.Id };

        // One linear head fits (153,600 bytes of embeddings, then as much for the neighbour index); sixteen that differ
        // only in learning rate train as one run holding sixteen heads' optimizer state.
        request.Candidates.Add(new TrainingConfig { LearningRate = 0.01f });
        var job = await workflow.Heads.TrainHeadAsync(request);
        Assert.False(string.IsNullOrEmpty(job.Job.Id));
        for (var i = 1; i < 16; i++) request.Candidates.Add(new TrainingConfig { LearningRate = 0.01f + i * 1e-3f });
        var message = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => workflow.Heads.TrainHeadAsync(request).ResponseAsync, "candidates");

        Assert.Contains("16 linear candidates that differ only in learning_rate and weight_decay train side by side", message);
        Assert.Contains("Jobs:MaxTrainingBytes is 400,000", message);
    }
}
