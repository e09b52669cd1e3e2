using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Core.Datasets;

/// <summary>One dataset being uploaded. Owns its temporary folder: <see cref="Dispose"/> without
/// <see cref="Complete"/> removes it.</summary>
public sealed class DatasetUpload : IDisposable
{
    public const int MaxLabelLength = 256;
    private readonly DatasetStore _store;
    private readonly string _temporary;
    private readonly BinaryWriter _writer;
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly SortedSet<Backbones.Modality> _modalities = [];
    private bool _published;

    internal DatasetUpload(DatasetStore store, string id, string name, string temporary, string examplesPath)
    {
        _store = store;
        Id = id;
        Name = name;
        _temporary = temporary;
        _writer = new BinaryWriter(new FileStream(examplesPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16));
    }

    public string Id { get; }
    public string Name { get; }
    public int Count { get; private set; }

    /// <summary>Validates and appends one example; <paramref name="field"/> names it in errors.</summary>
    public void Add(LabeledExample example, string field)
    {
        if (string.IsNullOrWhiteSpace(example.Label)) throw TransferException.Invalid($"{field}.label", $"{field}.label is empty");
        if (example.Label.Length > MaxLabelLength)
            throw TransferException.Invalid($"{field}.label", $"{field}.label is longer than {MaxLabelLength} characters");
        if (example.Input is TextInput { Text: "" }) throw TransferException.Invalid($"{field}.input", $"{field}.input text is empty");
        ExampleSerializer.Write(_writer, example);
        _modalities.Add(ModalityOf(example.Input));
        _counts[example.Label] = _counts.GetValueOrDefault(example.Label) + 1;
        Count++;
    }

    public DatasetInfo Complete()
    {
        if (Count == 0) throw TransferException.Invalid("examples", "the upload holds no examples");
        _writer.Flush();
        _writer.Dispose();
        var info = _store.Publish(_temporary, new DatasetInfo(Id, Name, Count, new Dictionary<string, int>(_counts), _modalities.ToArray(), DateTimeOffset.UtcNow));
        _published = true;
        return info;
    }

    private static Backbones.Modality ModalityOf(EmbeddingInput input) => input switch
    {
        TextInput => Backbones.Modality.Text,
        TensorInput => Backbones.Modality.Tensor,
        _ => Backbones.Modality.Image,
    };

    public void Dispose()
    {
        _writer.Dispose();
        if (!_published && Directory.Exists(_temporary)) Directory.Delete(_temporary, recursive: true);
    }
}
