using TransferService.Core.Storage;
using TransferService.Core.Errors;
using TransferService.Core.Heads;

namespace TransferService.Core.Tests.Heads;

public sealed class HeadStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("head-store").FullName;

    internal static HeadRecord Head(string name) => new()
    {
        Name = name, Version = 0, Backbone = "b", BackboneVersion = "1", Labels = ["x", "y"], DatasetId = "ds",
        Config = new TrainingConfig(), Temperature = 1.5f, Created = DateTimeOffset.UnixEpoch,
        Weights = new HeadWeights(2, [2], [[1, 2, 3, 4]], [[0.5f, -0.5f]]),
        Evaluation = new HeadEvaluation(1, 1, [1, 1], [1, 1], [[1, 0], [0, 1]], 0.1, 0.09, 8, 2, 3, []),
    };

    [Fact]
    public void Add_SameNameTwice_MakesVersionsOneAndTwoThatReadBackExactly()
    {
        var store = new HeadStore(_root);

        var first = store.Add(Head("h"));
        var second = store.Add(Head("h"));

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal([1, 2], store.Versions("h"));
        var read = new HeadStore(_root).Read("h", 2);
        Assert.Equal(second.Weights.Weights[0], read.Weights.Weights[0]);
        Assert.Equal(2, store.Resolve(new HeadReference("h")));
    }

    [Fact]
    public async Task Add_SameJobFromFourRunsAtOnce_OneVersionReturnedToEachAndAnotherJobGetsTheNext()
    {
        var store = new HeadStore(_root);
        store.Add(Head("h"));

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => store.Add(Head("h") with { JobId = "job-1" }))));
        var other = store.Add(Head("h") with { JobId = "job-2" });

        Assert.All(runs, r => Assert.Equal((2, "job-1"), (r.Version, r.JobId)));
        Assert.Equal([1, 2, 3], store.Versions("h"));
        Assert.Equal(3, other.Version);
        Assert.Equal(2, store.FindMadeBy("h", "job-1")?.Version);
        Assert.Null(store.FindMadeBy("h", "job-3"));
    }

    [Fact]
    public void Add_EvaluationWithoutValidationRows_StoresNaNMetrics()
    {
        var store = new HeadStore(_root);
        var head = Head("h") with { Evaluation = Head("h").Evaluation with { ValidationLoss = double.NaN, Epochs = [new EpochMetrics(1, 1, 0.5, double.NaN, double.NaN)] } };

        store.Add(head);

        Assert.True(double.IsNaN(store.Read("h", 1).Evaluation.Epochs[0].ValidationAccuracy));
    }

    [Fact]
    public void Read_FileChangedOnDisk_FailedPreconditionSaysCorrupt()
    {
        var store = new HeadStore(_root);
        store.Add(Head("h"));
        var path = Path.Combine(_root, "h", "v1.head");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("1.5", "2.5"));

        var error = Assert.Throws<TransferException>(() => store.Read("h", 1));

        Assert.Equal(ErrorCode.FailedPrecondition, error.Code);
        Assert.Contains("corrupt", error.Message);
    }

    [Fact]
    public void SetAlias_MovesAtomicallyAndDeleteVersionDropsItsAliases()
    {
        var store = new HeadStore(_root);
        store.Add(Head("h"));
        store.Add(Head("h"));

        store.SetAlias("h", "prod", 1);
        Assert.Equal(1, store.Resolve(new HeadReference("h", Alias: "prod")));
        store.SetAlias("h", "prod", 2);
        Assert.Equal(2, store.Resolve(new HeadReference("h", Alias: "prod")));
        store.Delete(new HeadReference("h", Version: 2));

        Assert.Equal([1], store.Versions("h"));
        Assert.Equal(ErrorCode.NotFound, Assert.Throws<TransferException>(() => store.Resolve(new HeadReference("h", Alias: "prod"))).Code);
    }

    [Fact]
    public void Add_AfterTheNewestVersionOrTheWholeHeadWasDeleted_NeverGivesANumberAgain()
    {
        var store = new HeadStore(_root);
        foreach (var _ in Enumerable.Range(0, 3)) store.Add(Head("h"));

        store.Delete(new HeadReference("h", Version: 3));
        var afterVersion = store.Add(Head("h")).Version;
        store.Delete(new HeadReference("h"));
        var listed = store.Names();
        var afterHead = store.Add(Head("h")).Version;

        Assert.Equal(4, afterVersion);
        Assert.DoesNotContain("h", listed);
        Assert.Equal(ErrorCode.NotFound, Assert.Throws<TransferException>(() => new HeadStore(_root).Resolve(new HeadReference("h", Version: 4))).Code);
        Assert.Equal(5, afterHead);
        Assert.Equal([5], store.Versions("h"));
    }

    [Fact]
    public async Task Delete_TwoRacingForTheSameHead_OneDeletesTheOtherIsNotFound()
    {
        var store = new HeadStore(_root);
        for (var round = 0; round < 20; round++)
        {
            store.Add(Head("h"));
            using var start = new Barrier(2);
            var outcomes = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                try { store.Delete(new HeadReference("h")); return "deleted"; }
                catch (TransferException e) { return e.Code.ToString(); }
            }, TaskCreationOptions.LongRunning)).ToArray();
            var results = await Task.WhenAll(outcomes);

            Assert.Equal(["NotFound", "deleted"], results.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void SetAlias_VersionZero_InvalidArgumentOnVersionAndNothingWritten()
    {
        var store = new HeadStore(_root);
        store.Add(Head("h"));

        var error = Assert.Throws<TransferException>(() => store.SetAlias("h", "prod", 0));

        Assert.Equal((ErrorCode.InvalidArgument, "version"), (error.Code, error.Field));
        Assert.Empty(store.Aliases("h"));
    }

    [Theory]
    [InlineData("{\"prod\":0}")]
    [InlineData("{\"prod\":7}")]
    public void Resolve_AliasAtMissingVersion_FailedPreconditionNamingAlias(string aliases)
    {
        var store = new HeadStore(_root);
        store.Add(Head("h"));
        File.WriteAllText(Path.Combine(_root, "h", "aliases.json"), aliases);

        var error = Assert.Throws<TransferException>(() => store.Resolve(new HeadReference("h", Alias: "prod"), "heads[2]"));

        Assert.Equal((ErrorCode.FailedPrecondition, "heads[2].alias"), (error.Code, error.Field));
        Assert.Equal(1, store.Resolve(new HeadReference("h", Version: 1)));
    }

    [Fact]
    public void AliasesAndRead_FileTruncatedOrVersionMissing_FailedPreconditionOrNotFoundWithoutPath()
    {
        var store = new HeadStore(_root);
        store.Add(Head("h"));
        File.WriteAllText(Path.Combine(_root, "h", "aliases.json"), "{\"prod\":");

        var aliases = Assert.Throws<TransferException>(() => store.Aliases("h"));
        var missing = Assert.Throws<TransferException>(() => store.Read("h", 2));

        Assert.Equal(ErrorCode.FailedPrecondition, aliases.Code);
        Assert.Contains("aliases.json is not valid JSON", aliases.Message);
        Assert.Equal(ErrorCode.NotFound, missing.Code);
        Assert.Contains("no version 2", missing.Message);
        Assert.DoesNotContain(_root, aliases.Message + missing.Message);
    }

    [Fact]
    public void Constructor_TemporaryFileLeftByACrash_RemovedAndUsedBytesCountsTheRest()
    {
        new HeadStore(_root).Add(Head("h"));
        var leftover = Path.Combine(_root, "h", "aliases.json.tmp-4242-0123456789abcdef");
        File.WriteAllBytes(leftover, new byte[1000]);

        var store = new HeadStore(_root);

        Assert.False(File.Exists(leftover));
        Assert.Equal(new FileInfo(Path.Combine(_root, "h", "v1.head")).Length + new FileInfo(Path.Combine(_root, "h", "last-version")).Length,
            FolderSize.Bytes(store.Root));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
