using System.Text;
using System.Text.Json;
using TransferService.Core.Errors;

namespace TransferService.Core.Extraction;

/// <summary>Reads the texts of a JSONL file (an object per line with "text" and optionally "id") or a CSV file (RFC 4180:
/// a header row naming a "text" and optionally an "id" column; quoted fields may hold commas, quotes and line breaks).
/// Everything is bounded: lines (records) by <see cref="ExtractionOptions.MaxLineCharacters"/>, rows by
/// <see cref="ExtractionOptions.MaxItems"/>, texts by the backbone's own limit. A bad row is InvalidArgument on the
/// source field, naming its line.</summary>
public sealed class TextFileReader(ExtractionOptions options, int maxTextCharacters)
{
    public IEnumerable<TextRow> Read(string path, ExtractionSourceKind kind, string field)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var rows = kind == ExtractionSourceKind.Csv ? ReadCsv(reader, field) : ReadJsonl(reader, field);
        var count = 0;
        foreach (var (line, id, text) in rows)
        {
            var at = $"{field} line {line}";
            if (++count > options.MaxItems) throw TransferException.Invalid(field, $"{field} holds more than {options.MaxItems} rows ({ExtractionOptions.Section}:{nameof(ExtractionOptions.MaxItems)})");
            if (string.IsNullOrEmpty(text)) throw TransferException.Invalid(field, $"{at}: the text is empty");
            if (text.Length > maxTextCharacters) throw TransferException.Invalid(field, $"{at}: the text has {text.Length} characters; the backbone takes at most {maxTextCharacters}");
            if (id is not null && (id.Length == 0 || id.Contains('\n') || id.Contains('\r'))) throw TransferException.Invalid(field, $"{at}: an id must be non-empty and on one line");
            yield return new TextRow(id ?? (count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), text);
        }
        if (count == 0) throw TransferException.Invalid(field, $"{field} holds no rows");
    }

    private IEnumerable<(int Line, string? Id, string? Text)> ReadJsonl(StreamReader reader, string field)
    {
        var line = 0;
        while (ReadLine(reader, field, line + 1) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            string? id, value;
            try
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
                    throw TransferException.Invalid(field, $"{field} line {line}: expected an object with a string \"text\"");
                value = t.GetString();
                id = root.TryGetProperty("id", out var i) ? i.ValueKind switch
                {
                    JsonValueKind.String => i.GetString(),
                    JsonValueKind.Number => i.GetRawText(),
                    _ => throw TransferException.Invalid(field, $"{field} line {line}: \"id\" must be a string or a number"),
                } : null;
            }
            catch (JsonException)
            {
                throw TransferException.Invalid(field, $"{field} line {line}: not valid JSON");
            }
            yield return (line, id, value);
        }
    }

    private IEnumerable<(int Line, string? Id, string? Text)> ReadCsv(StreamReader reader, string field)
    {
        var line = 1;
        var header = ReadRecord(reader, field, ref line) ?? throw TransferException.Invalid(field, $"{field} is empty: expected a header row");
        var textColumn = header.FindIndex(h => h.Trim() == "text");
        var idColumn = header.FindIndex(h => h.Trim() == "id");
        if (textColumn < 0) throw TransferException.Invalid(field, $"{field}: the header row has no \"text\" column");
        while (true)
        {
            var start = line;
            var record = ReadRecord(reader, field, ref line);
            if (record is null) yield break;
            if (record is [""]) continue;
            if (record.Count != header.Count)
                throw TransferException.Invalid(field, $"{field} line {start}: {record.Count} fields; the header has {header.Count}");
            yield return (start, idColumn >= 0 ? record[idColumn] : null, record[textColumn]);
        }
    }

    /// <summary>One line without its line break, or null at the end; longer than the limit is refused.</summary>
    private string? ReadLine(StreamReader reader, string field, int line)
    {
        if (reader.Peek() < 0) return null;
        var text = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0 && c != '\n')
            if (text.Append((char)c).Length > options.MaxLineCharacters) throw TooLong(field, line);
        if (text.Length > 0 && text[^1] == '\r') text.Length--;
        return text.ToString();
    }

    /// <summary>One CSV record (it may span lines inside quotes), advancing <paramref name="line"/>; null at the end.</summary>
    private List<string>? ReadRecord(StreamReader reader, string field, ref int line)
    {
        if (reader.Peek() < 0) return null;
        var (fields, value, quoted, length, start) = (new List<string>(), new StringBuilder(), false, 0, line);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (++length > options.MaxLineCharacters) throw TooLong(field, start);
            if (quoted)
            {
                if (c == '"' && reader.Peek() == '"') { reader.Read(); value.Append('"'); }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; value.Append((char)c); }
            }
            else if (c == '"' && value.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(value.ToString()); value.Clear(); }
            else if (c == '\n') { line++; break; }
            else if (c != '\r') value.Append((char)c);
        }
        if (quoted) throw TransferException.Invalid(field, $"{field} line {start}: a quoted field is not closed");
        fields.Add(value.ToString());
        return fields;
    }

    private TransferException TooLong(string field, int line) =>
        TransferException.Invalid(field, $"{field} line {line} is longer than {options.MaxLineCharacters} characters ({ExtractionOptions.Section}:{nameof(ExtractionOptions.MaxLineCharacters)})");
}
