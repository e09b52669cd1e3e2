using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Storage;

namespace TransferService.Core.Datasets;

/// <summary>One dataset being uploaded. Owns its temporary folder: <see cref="Dispose"/> without
/// <see cref="Complete"/> removes it.</summary>
public sealed class DatasetUpload : IDisposable
{
    public const int MaxLabelLength = 256;
    private readonly DatasetStore _store;
    private readonly IExampleValidator _validator;
    private readonly string _temporary;
    private readonly long _byteBudget;
    private readonly BinaryWriter _writer;
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly SortedSet<Backbones.Modality> _modalities = [];
    private bool _published;

    internal DatasetUpload(DatasetStore store, IExampleValidator validator, string id, string name, string temporary, string examplesPath, long byteBudget)
    {
        _store = store;
        _validator = validator;
        Id = id;
        Name = name;
        _temporary = temporary;
        _byteBudget = byteBudget;
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
        try { _validator.Validate(example.Input); }
        catch (TransferException e) { throw e.WithFieldPrefix(field); }
        try { ExampleSerializer.Write(_writer, example); }
        catch (Exception e) when (StoredData.IsStorageFailure(e)) { throw StoredData.WriteFailed($"dataset '{Name}'", "examples", e); }
        if (_writer.BaseStream.Position > _byteBudget)
            throw new TransferException(ErrorCode.ResourceExhausted,
                $"the upload passes the {_byteBudget} bytes left in the tenant's storage quota at {field}; nothing was stored", "examples");
        _modalities.Add(ModalityOf(example.Input));
        _counts[example.Label] = _counts.GetValueOrDefault(example.Label) + 1;
        Count++;
    }

    /// <summary>Publishes the dataset, unless <paramref name="cancellationToken"/> is cancelled before the
    /// final rename (the caller gave up on the upload): then nothing is published.</summary>
    public DatasetInfo Complete(CancellationToken cancellationToken = default)
    {
        if (Count == 0) throw TransferException.Invalid("examples", "the upload holds no examples");
        var info = new DatasetInfo(Id, Name, Count, new Dictionary<string, int>(_counts), _modalities.ToArray(), DateTimeOffset.UtcNow);
        try
        {
            _writer.Dispose();
            _store.Publish(_temporary, info, cancellationToken);
        }
        catch (Exception e) when (StoredData.IsStorageFailure(e))
        {
            throw StoredData.WriteFailed($"dataset '{Name}'", "examples", e);
        }
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
        try { _writer.Dispose(); }
        catch (Exception e) when (StoredData.IsStorageFailure(e)) { }
        if (!_published && Directory.Exists(_temporary)) Directory.Delete(_temporary, recursive: true);
    }
}
