using TransferService.Core.Errors;
using TransferService.Core.Heads;
using TransferService.Core.Jobs;

namespace TransferService.Core.Tests.Heads;

public sealed class TrainingCostTests
{
    private const int MiniLm = 384, ResNet18 = 512;
    private static readonly JobOptions Defaults = new();

    /// <summary>The reported defect: four hidden layers of 8192, 100,000 epochs of batch 1 on 2,000 texts (1,600 train).</summary>
    private static readonly TrainingConfig Runaway = new()
    {
        Architecture = HeadArchitecture.Mlp, HiddenSizes = [8192, 8192, 8192, 8192], Epochs = 100_000, BatchSize = 1,
    };

    private static TransferException Refusal(TrainingConfig config, int dimension, int classes, int trainRows, int validationRows, JobOptions? limits = null) =>
        Assert.Throws<TransferException>(() => TrainingConfigValidator.CheckCost(config,
            TrainingCost.Estimate(config, dimension, classes, trainRows, validationRows), limits ?? Defaults));

    [Fact]
    public void Estimate_RunawayMlp_CountsEveryLayerAndEveryStep()
    {
        var cost = TrainingCost.Estimate(Runaway, MiniLm, classes: 2, trainRows: 1600, validationRows: 400);

        const long parameters = 384L * 8192 + 8192 + 3 * (8192L * 8192 + 8192) + 8192 * 2 + 2;
        Assert.Equal(parameters, cost.Parameters);
        Assert.Equal(1600, cost.StepsPerEpoch);
        Assert.Equal(160_000_000, cost.Steps);
        Assert.Equal(11 * parameters * 4, cost.StateBytes);
        Assert.Equal(2000L * 384 * 4, cost.EmbeddingBytes);
        Assert.Equal((3L * 1 + 400) * (4 * 8192 + 2) * 4, cost.ActivationBytes);
        Assert.True(cost.Bytes > 8L << 30, $"{cost.Bytes} bytes");
    }

    [Fact]
    public void Estimate_HeadsSideBySide_ScaleStateAndActivationsButNotParametersOrEmbeddings()
    {
        var one = TrainingCost.Estimate(new TrainingConfig(), MiniLm, classes: 10, trainRows: 800, validationRows: 200);
        var nine = TrainingCost.Estimate(new TrainingConfig(), MiniLm, classes: 10, trainRows: 800, validationRows: 200, heads: 9);

        Assert.Equal(384L * 10 + 10, nine.Parameters);
        Assert.Equal((9 * one.StateBytes, 9 * one.ActivationBytes, one.EmbeddingBytes), (nine.StateBytes, nine.ActivationBytes, nine.EmbeddingBytes));
        Assert.Equal(one.EmbeddingBytes + nine.StateBytes + nine.ActivationBytes, nine.Bytes);
    }

    [Fact]
    public void Estimate_NeighbourIndex_CountsAtMostMaxRowsAndNotOnTopOfTraining()
    {
        var small = TrainingCost.Estimate(new TrainingConfig(), ResNet18, classes: 2, trainRows: 800, validationRows: 200, indexRows: 1000);
        var huge = TrainingCost.Estimate(new TrainingConfig(), ResNet18, classes: 2, trainRows: 800, validationRows: 200, indexRows: 10 * NeighbourIndex.MaxRows);

        Assert.Equal(1000L * 512 * 4, small.IndexBytes);
        // A linear head's state is far smaller than a copy of the rows: the index is the peak after the embeddings.
        Assert.Equal(small.EmbeddingBytes + small.IndexBytes, small.Bytes);
        Assert.Equal((long)NeighbourIndex.MaxRows * 512 * 4, huge.IndexBytes);
    }

    [Fact]
    public void CheckCost_SixteenLinearHeadsSideBySideOverTheMemoryLimit_InvalidArgumentOnCandidates()
    {
        var config = new TrainingConfig();
        var limits = new JobOptions { MaxTrainingBytes = 256L << 20 };
        TrainingConfigValidator.CheckCost(config, TrainingCost.Estimate(config, 2048, classes: 1000, trainRows: 1000, validationRows: 0), limits, "candidates[0]");

        var error = Assert.Throws<TransferException>(() => TrainingConfigValidator.CheckCost(config,
            TrainingCost.Estimate(config, 2048, classes: 1000, trainRows: 1000, validationRows: 0, heads: 16), limits, "candidates[0]"));

        Assert.Equal((ErrorCode.InvalidArgument, "candidates"), (error.Code, error.Field));
        Assert.Contains("16 linear candidates that differ only in learning_rate and weight_decay train side by side as one run", error.Message);
    }

    [Fact]
    public void Estimate_MaxStepsBelowTheEpochs_BoundsTheSteps()
    {
        var cost = TrainingCost.Estimate(new TrainingConfig { Epochs = 100, BatchSize = 64, MaxSteps = 500 }, MiniLm, 2, trainRows: 1000, validationRows: 0);

        Assert.Equal(16, cost.StepsPerEpoch);
        Assert.Equal(500, cost.Steps);
    }

    [Fact]
    public void CheckCost_RunawayMlp_InvalidArgumentOnHiddenSizesWithCountAndLimit()
    {
        var error = Refusal(Runaway, MiniLm, 2, 1600, 400);

        Assert.Equal((ErrorCode.InvalidArgument, "config.hidden_sizes"), (error.Code, error.Field));
        Assert.Contains("204,521,474 parameters", error.Message);
        Assert.Contains("Jobs:MaxHeadParameters is 50,000,000", error.Message);
    }

    [Fact]
    public void CheckCost_TooManyEpochsOfSmallBatches_InvalidArgumentOnEpochs()
    {
        var error = Refusal(new TrainingConfig { Epochs = 100_000, BatchSize = 1 }, MiniLm, 2, 1600, 400);

        Assert.Equal("config.epochs", error.Field);
        Assert.Contains("make 160,000,000 optimizer steps", error.Message);
        Assert.Contains("Jobs:MaxTrainingSteps is 2,000,000", error.Message);
    }

    [Fact]
    public void CheckCost_MaxStepsOverTheLimit_InvalidArgumentOnMaxSteps()
    {
        var error = Refusal(new TrainingConfig { Epochs = 100_000, BatchSize = 1, MaxSteps = 3_000_000 }, MiniLm, 2, 1600, 400);

        Assert.Equal("config.max_steps", error.Field);
        Assert.Contains("3,000,000 optimizer steps", error.Message);
    }

    [Theory]
    [InlineData(HeadArchitecture.Mlp, 64, "config.hidden_sizes")]
    [InlineData(HeadArchitecture.Mlp, 4096, "config.batch_size")]
    [InlineData(HeadArchitecture.Linear, 64, "dataset_id")]
    public void CheckCost_OverTheMemoryLimit_NamesTheFieldBehindTheLargestShare(HeadArchitecture architecture, int batch, string field)
    {
        var config = new TrainingConfig { Architecture = architecture, HiddenSizes = [1024], BatchSize = batch };

        var error = Refusal(config, MiniLm, 2, 4000, 1000, new JobOptions { MaxTrainingBytes = 1 << 20 });

        Assert.Equal(field, error.Field);
        Assert.Contains("Jobs:MaxTrainingBytes is 1,048,576", error.Message);
    }

    [Fact]
    public void CheckCost_DocumentedAndTestedConfigs_PassTheDefaults()
    {
        TrainingConfigValidator.CheckCost(new TrainingConfig { Epochs = 100 }, TrainingCost.Estimate(new TrainingConfig { Epochs = 100 }, MiniLm, 2, 800, 200), Defaults);
        var spam = new TrainingConfig { Architecture = HeadArchitecture.Mlp, HiddenSizes = [256], Epochs = 60, BatchSize = 32 };
        TrainingConfigValidator.CheckCost(spam, TrainingCost.Estimate(spam, MiniLm, 2, 800, 200), Defaults);
        var fashion = new TrainingConfig { Architecture = HeadArchitecture.Mlp, HiddenSizes = [128], Dropout = 0.2f, Epochs = 30 };
        TrainingConfigValidator.CheckCost(fashion, TrainingCost.Estimate(fashion, ResNet18, 10, 1600, 400), Defaults);
        var large = new TrainingConfig { Architecture = HeadArchitecture.Mlp, HiddenSizes = [4096, 4096], Epochs = 200, BatchSize = 256 };
        TrainingConfigValidator.CheckCost(large, TrainingCost.Estimate(large, ResNet18, 1000, 48_000, 12_000), Defaults);
    }
}
