using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Jobs;

/// <summary>What the crash tests run: a child service on the shared models (nothing preloaded, one CPU lane, one job at
/// a time) and trainings on the tiny tensor backbone, long enough to be killed in the middle and short enough to
/// finish in seconds after a restart.</summary>
public static class CrashTraining
{
    public const string Backbone = "tiny-crash";

    public static Dictionary<string, string?> Settings(ServerFixture server) => new()
    {
        ["Backbones:ModelRepository"] = server.ModelRepository,
        ["Backbones:Preload"] = "",
        ["Lanes:Devices"] = "cpu",
        ["Jobs:MaxConcurrent"] = "1",
    };

    /// <summary>Two separable classes of 4-float tensors.</summary>
    public static IEnumerable<(Input Input, string Label)> Points(int count) =>
        Enumerable.Range(0, count).Select(i => (new Input { Tensor = new FloatTensor { Shape = { 4 }, Values = { i % 2 == 0 ? 1 : -1, i * 0.01f, 0.5f, i % 3 } } },
            i % 2 == 0 ? "even" : "odd"));

    /// <summary>A linear head, batch 1: <paramref name="epochs"/> × 160 steps on <see cref="Points"/>(200).</summary>
    public static TrainHeadRequest Request(string name, string datasetId, int epochs, string idempotencyKey) => new()
    {
        Name = name, Backbone = Backbone, DatasetId = datasetId, IdempotencyKey = idempotencyKey,
        Config = new TrainingConfig { Epochs = (uint)epochs, BatchSize = 1 },
    };
}
