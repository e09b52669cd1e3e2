using TransferService.Core.Storage;
using TransferService.Core.Datasets;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Core.Tests.Datasets;

public sealed class DatasetStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dataset-store").FullName;

    private DatasetStore Store() => new(_root, new AcceptingExampleValidator());

    private static LabeledExample Text(int i) => new(new TextInput($"example text {i}"), i % 2 == 0 ? "even" : "odd");

    private DatasetInfo Upload(DatasetStore store, int count)
    {
        using var upload = store.BeginUpload("d");
        for (var i = 0; i < count; i++) upload.Add(Text(i), $"examples[{i}]");
        return upload.Complete();
    }

    [Fact]
    public void Complete_TokenCancelled_NothingPublishedAndNoTemporaryFolder()
    {
        var store = Store();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        using (var upload = store.BeginUpload("d"))
        {
            upload.Add(Text(0), "examples[0]");
            Assert.Throws<OperationCanceledException>(() => upload.Complete(cancelled.Token));
        }

        Assert.Empty(store.List());
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void Add_PastByteBudget_ResourceExhaustedOnExamplesAndNothingStored()
    {
        var store = Store();
        var one = new FileInfo(Path.Combine(_root, Upload(store, 1).Id, "examples.bin")).Length;
        store.Delete(store.List()[0].Id);

        using (var upload = store.BeginUpload("d", byteBudget: 3 * one))
        {
            for (var i = 0; i < 3; i++) upload.Add(Text(0), $"examples[{i}]");
            var error = Assert.Throws<TransferException>(() => upload.Add(Text(0), "examples[3]"));
            Assert.Equal((ErrorCode.ResourceExhausted, "examples"), (error.Code, error.Field));
        }

        Assert.Empty(store.List());
        Assert.Equal(0, FolderSize.Bytes(store.Root));
    }

    [Fact]
    public void FolderSize_TwoDatasets_SumOfTheirFiles()
    {
        var store = Store();
        Upload(store, 3);
        Upload(store, 5);

        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        Assert.Equal(4, Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Length);
        Assert.Equal(files, FolderSize.Bytes(store.Root));
    }

    [Fact]
    public void Constructor_UploadFolderLeftByACrash_Removed()
    {
        var kept = Upload(Store(), 2);
        var leftover = Directory.CreateDirectory(Path.Combine(_root, ".ds-0123456789ab.uploading")).FullName;
        File.WriteAllBytes(Path.Combine(leftover, "examples.bin"), new byte[10]);

        var store = Store();

        Assert.False(Directory.Exists(leftover));
        Assert.Equal(kept.Id, Assert.Single(store.List()).Id);
    }

    [Fact]
    public void ReadExamples_FileTruncated_FailedPreconditionWithoutPathAfterTheWholeExamples()
    {
        var store = Store();
        var info = Upload(store, 10);
        var path = Path.Combine(_root, info.Id, "examples.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^5]);

        var read = new List<LabeledExample>();
        var error = Assert.Throws<TransferException>(() => read.AddRange(store.ReadExamples(info.Id)));

        Assert.Equal((ErrorCode.FailedPrecondition, "dataset_id"), (error.Code, error.Field));
        Assert.Contains("examples.bin is truncated", error.Message);
        Assert.DoesNotContain(_root, error.Message);
        Assert.Equal(9, read.Count);
        Assert.Equal("example text 8", ((TextInput)read[8].Input).Text);
    }

    [Fact]
    public void ReadExamples_MoreRecordsThanCounted_FailedPrecondition()
    {
        var store = Store();
        var info = Upload(store, 2);
        var path = Path.Combine(_root, info.Id, "examples.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(path).Concat(File.ReadAllBytes(path)).ToArray());

        var error = Assert.Throws<TransferException>(() => store.ReadExamples(info.Id).ToList());

        Assert.Equal(ErrorCode.FailedPrecondition, error.Code);
        Assert.Contains("more than the 2 examples", error.Message);
    }

    [Theory]
    [InlineData("{\"id\":")]
    [InlineData("null")]
    [InlineData("{\"id\":\"ds-other\",\"name\":\"d\",\"count\":1,\"labelCounts\":{\"a\":1},\"modalities\":[1]}")]
    public void ListAndGet_InfoFileDamaged_ListedDamagedGetFailedPrecondition(string json)
    {
        var store = Store();
        var damaged = Upload(store, 2);
        var whole = Upload(store, 3);
        File.WriteAllText(Path.Combine(_root, damaged.Id, "dataset.json"), json);

        var listed = store.List().ToDictionary(d => d.Id);
        var error = Assert.Throws<TransferException>(() => store.Get(damaged.Id));

        Assert.Contains("dataset.json", listed[damaged.Id].Damaged);
        Assert.Equal((3, null), (listed[whole.Id].Count, listed[whole.Id].Damaged));
        Assert.Equal((ErrorCode.FailedPrecondition, "dataset_id"), (error.Code, error.Field));
        Assert.DoesNotContain(_root, error.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
