using System.Text.Json;
using TransferService.Core.Errors;
using TransferService.Core.Storage;

namespace TransferService.Core.Datasets;

/// <summary>Datasets in <c>&lt;root&gt;/&lt;id&gt;/</c>: <c>examples.bin</c> and <c>dataset.json</c>.
/// An upload is written into a temporary folder and published with one rename only when complete, so a
/// failed or interrupted upload leaves nothing behind and a listed dataset is always whole. Damaged files
/// (truncated, missing, hand-edited) fail only the dataset they belong to, with FailedPrecondition.
/// Construct one per root and before any upload: the constructor removes what a crash left.</summary>
public sealed class DatasetStore
{
    private const string ExamplesFile = "examples.bin";
    private const string InfoFile = "dataset.json";
    private const string UploadingSuffix = ".uploading";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IExampleValidator _validator;

    public DatasetStore(string root, IExampleValidator validator)
    {
        Root = Path.GetFullPath(root);
        _validator = validator;
        DurableFile.RemoveInterruptedWrites(Root, $".*{UploadingSuffix}");
    }

    public string Root { get; }

    /// <summary>Writes examples as they arrive; <see cref="DatasetUpload.Complete"/> publishes them. Once the
    /// examples written exceed <paramref name="byteBudget"/> bytes, the upload fails with ResourceExhausted.</summary>
    public DatasetUpload BeginUpload(string name, long byteBudget = long.MaxValue)
    {
        var id = $"ds-{Guid.NewGuid():N}"[..15];
        var temporary = Path.Combine(Root, $".{id}{UploadingSuffix}");
        try
        {
            Directory.CreateDirectory(temporary);
            return new DatasetUpload(this, _validator, id, name, temporary, Path.Combine(temporary, ExamplesFile), byteBudget);
        }
        catch (Exception e) when (StoredData.IsStorageFailure(e))
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            throw StoredData.WriteFailed($"dataset '{name}'", "examples", e);
        }
    }

    internal void Publish(string temporary, DatasetInfo info, CancellationToken cancellationToken)
    {
        File.WriteAllBytes(Path.Combine(temporary, InfoFile), JsonSerializer.SerializeToUtf8Bytes(info, Json));
        DurableFile.PublishFolder(temporary, Path.Combine(Root, info.Id), cancellationToken);
    }

    /// <summary>Every dataset, oldest first. A damaged one is listed with <see cref="DatasetInfo.Damaged"/> saying
    /// why, so one bad folder neither fails the listing nor disappears from it.</summary>
    public IReadOnlyList<DatasetInfo> List()
    {
        try
        {
            return Directory.Exists(Root)
                ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(id => !id.StartsWith('.'))
                    .Select(Describe).OfType<DatasetInfo>().OrderBy(d => d.Created).ToArray()
                : [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    public DatasetInfo Get(string id, string field = "dataset_id") => ReadInfo(Folder(id, field), id, field);

    /// <summary>The examples in upload order. FailedPrecondition (at the call or while enumerating) when
    /// <c>examples.bin</c> is missing, truncated or does not hold the count <c>dataset.json</c> says.</summary>
    public IEnumerable<LabeledExample> ReadExamples(string id)
    {
        var info = Get(id);
        return Read(Path.Combine(Root, id, ExamplesFile), info);
    }

    public void Delete(string id)
    {
        var folder = Folder(id, "dataset_id");
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (StoredData.IsStorageFailure(e)) { throw StoredData.WriteFailed($"dataset {id}", "dataset_id", e); }
    }

    private DatasetInfo? Describe(string id)
    {
        var folder = Path.Combine(Root, id);
        try
        {
            return ReadInfo(folder, id, "dataset_id");
        }
        catch (TransferException e) when (e.Code == ErrorCode.FailedPrecondition)
        {
            // Deleted while listing: not damaged, just gone.
            return Directory.Exists(folder) ? DatasetInfo.Unreadable(id, e.Message, Directory.GetLastWriteTimeUtc(folder)) : null;
        }
    }

    private static DatasetInfo ReadInfo(string folder, string id, string field)
    {
        var item = $"dataset {id}";
        DatasetInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<DatasetInfo>(File.ReadAllBytes(Path.Combine(folder, InfoFile)), Json);
            if (info is null || info.Id != id || info.Name is null || info.LabelCounts is null || info.Modalities is null
                || info.Count <= 0 || info.LabelCounts.Values.Sum() != info.Count)
                throw new InvalidDataException("does not describe this dataset");
        }
        catch (Exception e) when (StoredData.IsStorageFailure(e))
        {
            throw StoredData.Damaged(item, InfoFile, field, e);
        }
        if (!File.Exists(Path.Combine(folder, ExamplesFile)))
            throw StoredData.Damaged(item, ExamplesFile, field, new FileNotFoundException());
        return info;
    }

    private static IEnumerable<LabeledExample> Read(string path, DatasetInfo info)
    {
        using var reader = Guard(info, () => new BinaryReader(File.OpenRead(path)));
        for (var i = 0; i < info.Count; i++) yield return Guard(info, () => ExampleSerializer.Read(reader));
        if (reader.BaseStream.Position != reader.BaseStream.Length)
            throw StoredData.Damaged($"dataset {info.Id}", ExamplesFile, "dataset_id",
                new InvalidDataException($"holds more than the {info.Count} examples dataset.json counts"));
    }

    private static T Guard<T>(DatasetInfo info, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (StoredData.IsStorageFailure(e)) { throw StoredData.Damaged($"dataset {info.Id}", ExamplesFile, "dataset_id", e); }
    }

    private string Folder(string id, string field)
    {
        if (string.IsNullOrEmpty(id)) throw TransferException.Invalid(field, $"{field} is required");
        var folder = Path.Combine(Root, id);
        if (id.Contains('/') || id.Contains('\\') || id.Contains("..") || id.StartsWith('.') || !Directory.Exists(folder))
            throw new TransferException(ErrorCode.NotFound, $"dataset '{id}' does not exist", field);
        return folder;
    }
}
