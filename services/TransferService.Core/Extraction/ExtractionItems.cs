using System.Text.Json;
using TransferService.Core.Datasets;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Tenants;

namespace TransferService.Core.Extraction;

/// <summary>A job's items: frozen into its folder on the first run (so a resumed job sees the same rows however the
/// source changed since), then read back from any row. A dataset is immutable, so its rows are read from it; a folder's
/// file names and a text file's texts are copied into the job's folder.</summary>
public sealed class ExtractionItems(TenantStores stores, ImportRoot? imports, ExtractionOptions options)
{
    /// <summary>Writes the item list of <paramref name="spec"/> into <paramref name="folder"/> (ids.txt, texts.jsonl) and
    /// returns the row count. <paramref name="maxTextCharacters"/>: the backbone's limit.</summary>
    public int Freeze(string tenant, ExtractionSpec spec, ExtractionFolder folder, int maxTextCharacters)
    {
        var field = spec.SourceField;
        switch (spec.SourceKind)
        {
            case ExtractionSourceKind.Dataset:
                var count = stores.Datasets(tenant).Get(spec.Source, field).Count;
                ExtractionFolder.WriteLines(folder.Ids, Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return count;
            case ExtractionSourceKind.Folder:
                var names = Imports(field).Images(spec.Source, field, options.MaxItems);
                ExtractionFolder.WriteLines(folder.Ids, names);
                return names.Count;
            default:
                return folder.WriteTexts(Texts(spec, maxTextCharacters));
        }
    }

    /// <summary>Reads every row of a text source once, for validation at submission: InvalidArgument names the bad line.</summary>
    public int CountTexts(ExtractionSpec spec, int maxTextCharacters, CancellationToken cancellationToken) =>
        Texts(spec, maxTextCharacters).Count(_ =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return true;
        });

    /// <summary>The items from row <paramref name="firstRow"/> on, as inputs, with the bytes each holds in memory.</summary>
    public IEnumerable<(EmbeddingInput Input, long Bytes)> Read(string tenant, ExtractionSpec spec, ExtractionFolder folder, int firstRow)
    {
        var field = spec.SourceField;
        switch (spec.SourceKind)
        {
            case ExtractionSourceKind.Dataset:
                return stores.Datasets(tenant).ReadExamples(spec.Source).Skip(firstRow).Select(e => (e.Input, Bytes(e)));
            case ExtractionSourceKind.Folder:
                var imports = Imports(field);
                return File.ReadLines(folder.Ids).Skip(firstRow).Select(name =>
                {
                    var bytes = File.ReadAllBytes(imports.Image(spec.Source, name, field, options.MaxImageFileBytes));
                    return ((EmbeddingInput)new EncodedImageInput(bytes), (long)bytes.Length);
                });
            default:
                return File.ReadLines(folder.Texts).Skip(firstRow).Select(line =>
                {
                    var text = JsonSerializer.Deserialize<string>(line) ?? throw new InvalidDataException("texts.jsonl holds a null text");
                    return ((EmbeddingInput)new TextInput(text), (long)text.Length * sizeof(char));
                });
        }
    }

    /// <summary>The import root, or FailedPrecondition saying how to allow server-side sources.</summary>
    public ImportRoot Imports(string field) => imports ?? throw new TransferException(ErrorCode.FailedPrecondition,
        $"server-side sources are turned off: set {ExtractionOptions.Section}:{nameof(ExtractionOptions.ImportRoot)} to the folder they may be read from, or extract an uploaded dataset", field);

    private IEnumerable<TextRow> Texts(ExtractionSpec spec, int maxTextCharacters)
    {
        var path = Imports(spec.SourceField).File(spec.Source, spec.SourceField, options.MaxTextFileBytes);
        return new TextFileReader(options, maxTextCharacters).Read(path, spec.SourceKind, spec.SourceField);
    }

    private static long Bytes(LabeledExample example) => example.Input switch
    {
        EncodedImageInput image => image.Data.Length,
        RawPixelsInput pixels => pixels.Data.Length,
        TextInput text => (long)text.Text.Length * sizeof(char),
        TensorInput tensor => (long)tensor.Values.Length * sizeof(float),
        _ => 0,
    };
}
