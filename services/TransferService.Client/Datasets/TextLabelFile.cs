using System.Text.Json;
using TransferService.Contracts.V1;

namespace TransferService.Client.Datasets;

/// <summary>A text dataset in one file: CSV with a header naming a <c>text</c> and a <c>label</c> column (RFC 4180
/// quoting, so texts may hold commas, quotes and line breaks), or JSONL with one <c>{"text": …, "label": …}</c>
/// object per line. Read as it is enumerated, one record at a time.</summary>
public static class TextLabelFile
{
    public static IEnumerable<LabeledExample> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist");
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => FromCsv(path),
            ".jsonl" or ".json" or ".ndjson" => FromJsonLines(path),
            _ => throw new InvalidDataException($"'{path}': expected a .csv or .jsonl file of text,label"),
        };
    }

    private static IEnumerable<LabeledExample> FromCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var records = CsvRecords.Read(reader).GetEnumerator();
        if (!records.MoveNext()) throw new InvalidDataException($"'{path}' is empty: expected a header with text,label");
        var header = records.Current;
        var text = header.FindIndex(c => c.Equals("text", StringComparison.OrdinalIgnoreCase));
        var label = header.FindIndex(c => c.Equals("label", StringComparison.OrdinalIgnoreCase));
        if (text < 0 || label < 0) throw new InvalidDataException($"'{path}': the header must name a 'text' and a 'label' column");
        var row = 1;
        while (records.MoveNext())
        {
            row++;
            var record = records.Current;
            if (record.Count == 1 && record[0].Length == 0) continue;
            if (record.Count <= Math.Max(text, label))
                throw new InvalidDataException($"'{path}' record {row}: {record.Count} columns, the header has {header.Count}");
            yield return Example(record[text], record[label]);
        }
    }

    private static IEnumerable<LabeledExample> FromJsonLines(string path)
    {
        var line = 0;
        foreach (var json in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(json)) continue;
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String ||
                !document.RootElement.TryGetProperty("label", out var label) || label.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"'{path}' line {line}: expected {{\"text\": \"…\", \"label\": \"…\"}}");
            yield return Example(text.GetString()!, label.GetString()!);
        }
    }

    private static LabeledExample Example(string text, string label) => new() { Label = label, Input = new Input { Text = text } };
}
