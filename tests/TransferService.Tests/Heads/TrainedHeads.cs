using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Heads;

/// <summary>Heads trained once per test run on 2,000 Fashion-MNIST images (resnet18) and shared by the head
/// tests: a linear head, an MLP head and a second linear head (other seed), all on one uploaded dataset,
/// so the backbone runs once for it and the later trainings read the embedding cache.</summary>
public sealed record TrainedHeads(Dataset Dataset, IReadOnlyList<Job> LinearJob, Head LinearHead, Head MlpHead, Head OtherLinearHead)
{
    public const string Linear = "fashion-linear";
    public const string Mlp = "fashion-mlp";
    public const string OtherLinear = "fashion-linear-seed2";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TrainedHeads? _trained;

    public static async Task<TrainedHeads> GetAsync(ServerFixture server)
    {
        await Gate.WaitAsync();
        try
        {
            return _trained ??= await TrainAsync(new HeadWorkflow(server));
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<TrainedHeads> TrainAsync(HeadWorkflow workflow)
    {
        var (images, labels) = FashionMnist.Load(train: true, count: 2000);
        var dataset = await workflow.UploadAsync("fashion-2000", images.Select((image, i) => (TestImages.Gray28(image), $"class-{labels[i]}")));
        var linearJob = await workflow.TrainAsync(Request(Linear, dataset, new TrainingConfig { Epochs = 60, LearningRate = 0.003f }));
        await workflow.TrainAsync(Request(Mlp, dataset, new TrainingConfig
        {
            Architecture = HeadArchitecture.Mlp, HiddenSizes = { 128 }, Dropout = 0.2f, Epochs = 30, LearningRate = 0.001f,
        }));
        await workflow.TrainAsync(Request(OtherLinear, dataset, new TrainingConfig { Epochs = 20, LearningRate = 0.003f, Seed = 2 }));
        return new TrainedHeads(dataset, linearJob, await Get(workflow, Linear), await Get(workflow, Mlp), await Get(workflow, OtherLinear));
    }

    private static TrainHeadRequest Request(string name, Dataset dataset, TrainingConfig config) =>
        new() { Name = name, Backbone = "resnet18", DatasetId = dataset.Id, Config = config };

    private static async Task<Head> Get(HeadWorkflow workflow, string name) =>
        (await workflow.Heads.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = name } })).Head;
}
