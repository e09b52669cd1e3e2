using System.Text.Json;
using TransferService.Core.Errors;
using TransferService.Core.Storage;

namespace TransferService.Core.Datasets;

/// <summary>Datasets in <c>&lt;data&gt;/datasets/&lt;id&gt;/</c>: <c>examples.bin</c> and <c>dataset.json</c>.
/// An upload is written into a temporary folder and published with one rename only when complete, so a
/// failed or interrupted upload leaves nothing behind and a listed dataset is always whole.</summary>
public sealed class DatasetStore(string root)
{
    private const string ExamplesFile = "examples.bin";
    private const string InfoFile = "dataset.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Writes examples as they arrive; <see cref="DatasetUpload.CompleteAsync"/> publishes them.</summary>
    public DatasetUpload BeginUpload(string name)
    {
        Directory.CreateDirectory(Root);
        var id = $"ds-{Guid.NewGuid():N}"[..15];
        var temporary = Path.Combine(Root, $".{id}.uploading");
        Directory.CreateDirectory(temporary);
        return new DatasetUpload(this, id, name, temporary, Path.Combine(temporary, ExamplesFile));
    }

    internal DatasetInfo Publish(string temporary, DatasetInfo info)
    {
        File.WriteAllBytes(Path.Combine(temporary, InfoFile), JsonSerializer.SerializeToUtf8Bytes(info, Json));
        DurableFile.PublishFolder(temporary, Path.Combine(Root, info.Id));
        return info;
    }

    public IReadOnlyList<DatasetInfo> List() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Where(d => File.Exists(Path.Combine(d, InfoFile)))
                .Select(d => ReadInfo(Path.GetFileName(d))).OrderBy(d => d.Created).ToArray()
            : [];

    public DatasetInfo Get(string id, string field = "dataset_id") => ReadInfo(Folder(id, field));

    public IEnumerable<LabeledExample> ReadExamples(string id)
    {
        using var reader = new BinaryReader(File.OpenRead(Path.Combine(Folder(id, "dataset_id"), ExamplesFile)));
        while (reader.BaseStream.Position < reader.BaseStream.Length) yield return ExampleSerializer.Read(reader);
    }

    public void Delete(string id) => Directory.Delete(Folder(id, "dataset_id"), recursive: true);

    private DatasetInfo ReadInfo(string folderOrId)
    {
        var folder = Path.IsPathRooted(folderOrId) ? folderOrId : Path.Combine(Root, folderOrId);
        return JsonSerializer.Deserialize<DatasetInfo>(File.ReadAllBytes(Path.Combine(folder, InfoFile)), Json)!;
    }

    private string Folder(string id, string field)
    {
        if (string.IsNullOrEmpty(id)) throw TransferException.Invalid(field, $"{field} is required");
        var folder = Path.Combine(Root, id);
        if (id.Contains('/') || id.Contains("..") || id.StartsWith('.') || !File.Exists(Path.Combine(folder, InfoFile)))
            throw new TransferException(ErrorCode.NotFound, $"dataset '{id}' does not exist", field);
        return folder;
    }
}
