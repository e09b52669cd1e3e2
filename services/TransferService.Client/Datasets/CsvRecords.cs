using System.Text;

namespace TransferService.Client.Datasets;

/// <summary>RFC 4180 records read one at a time: fields split on commas, a quoted field may hold commas, doubled
/// quotes and line breaks; CRLF and LF both end a record.</summary>
internal static class CsvRecords
{
    public static IEnumerable<List<string>> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (quoted)
            {
                if (c != '"') field.Append((char)c);
                else if (reader.Peek() == '"') field.Append((char)reader.Read());
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return fields;
                    fields = [];
                    any = false;
                    break;
                default: field.Append((char)c); break;
            }
        }
        if (quoted) throw new InvalidDataException("the file ends inside a quoted field");
        if (any)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}
