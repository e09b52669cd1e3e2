using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Heads;

/// <summary>Heads outlive the process: a second server on the same data folder (a restart) finds heads and
/// aliases, and refuses to serve a head whose file was corrupted on disk.</summary>
[Collection(ServerCollection.Name)]
public sealed class HeadPersistenceTests(ServerFixture server)
{
    [Fact]
    public async Task Restart_HeadsAndAliasesSurvive_CorruptedHeadIsReportedNotServed()
    {
        var heads = await TrainedHeads.GetAsync(server);
        var workflow = new HeadWorkflow(server);
        await workflow.TrainAsync(new TrainHeadRequest
        {
            Name = "to-corrupt", Backbone = "resnet18", DatasetId = heads.Dataset.Id, Config = new TrainingConfig { Epochs = 2 },
        });
        await workflow.Heads.SetHeadAliasAsync(new SetHeadAliasRequest { Name = TrainedHeads.OtherLinear, Alias = "stable", Version = heads.OtherLinearHead.Version });
        var file = Path.Combine(server.DataFolder, "tenants", "default", "heads", "to-corrupt", "v1.head");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x20;
        await File.WriteAllBytesAsync(file, bytes);

        // The shared server goes on running and holds its data folder (one process per folder: the job store is
        // locked), so the restarted service reads a copy of its heads.
        var restartFolder = Path.Combine(server.DataFolder, $"restart-{Guid.NewGuid():N}");
        CopyFolder(Path.Combine(server.DataFolder, "tenants", "default", "heads"), Path.Combine(restartFolder, "tenants", "default", "heads"));
        await using var restarted = await TestServer.StartAsync(restartFolder, new Dictionary<string, string?>
        {
            ["Backbones:ModelRepository"] = server.ModelRepository, ["Backbones:Preload"] = "", ["Lanes:Devices"] = "cpu",
        });
        var client = new HeadService.HeadServiceClient(restarted.Channel);

        var head = (await client.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = TrainedHeads.OtherLinear, Alias = "stable" } })).Head;
        Assert.Equal(heads.OtherLinearHead.Version, head.Version);
        Assert.Equal(heads.OtherLinearHead.Evaluation.Accuracy, head.Evaluation.Accuracy);
        Assert.Contains((await client.ListHeadsAsync(new ListHeadsRequest())).Heads, h => h.Name == "to-corrupt");
        var message = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => client.GetHeadAsync(new GetHeadRequest { Head = new HeadReference { Name = "to-corrupt" } }).ResponseAsync, "head");
        Assert.Contains("corrupt", message);
        var (images, _) = FashionMnist.Load(train: false, count: 1);
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => client.ClassifyAsync(new ClassifyRequest
        {
            Backbone = "resnet18", Inputs = { TestImages.Gray28(images[0]) }, Heads = { new HeadReference { Name = "to-corrupt" } },
        }).ResponseAsync, "heads[0]");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
