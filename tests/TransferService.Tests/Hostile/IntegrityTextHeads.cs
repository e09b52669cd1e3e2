using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>Two small minilm heads trained once per run on the shared server, for tests that copy them into a
/// server of their own and damage their files there.</summary>
public static class IntegrityTextHeads
{
    public const string First = "integrity-first";
    public const string Second = "integrity-second";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _trained;

    private static readonly (string Text, string Label)[] Examples =
    [
        ("the film was wonderful", "pos"), ("a great and moving story", "pos"), ("I loved every minute", "pos"),
        ("brilliant acting throughout", "pos"), ("a joy to watch", "pos"), ("superb and funny", "pos"),
        ("the film was terrible", "neg"), ("a dull and boring story", "neg"), ("I hated every minute", "neg"),
        ("awful acting throughout", "neg"), ("a pain to watch", "neg"), ("poor and tedious", "neg"),
    ];

    public static async Task EnsureTrainedAsync(ServerFixture fixture)
    {
        await Gate.WaitAsync();
        try
        {
            if (_trained) return;
            var workflow = new HeadWorkflow(fixture);
            var dataset = await workflow.UploadAsync("integrity-texts", Examples.Select(e => (HeadWorkflow.Text(e.Text), e.Label)));
            foreach (var name in new[] { First, Second })
                await workflow.TrainAsync(new TrainHeadRequest
                {
                    Name = name, Backbone = "minilm", DatasetId = dataset.Id, Config = new TrainingConfig { Epochs = 3, ValidationFraction = 0.34f },
                });
            _trained = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Copies the trained heads' folders into <paramref name="dataFolder"/>, as a restored backup would.</summary>
    public static void CopyTo(ServerFixture fixture, string dataFolder)
    {
        foreach (var name in new[] { First, Second })
        {
            var source = Path.Combine(fixture.DataFolder, "tenants", "default", "heads", name);
            var target = Directory.CreateDirectory(Path.Combine(dataFolder, "tenants", "default", "heads", name)).FullName;
            foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
