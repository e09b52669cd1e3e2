using System.Text;
using System.Text.Json;

namespace TransferService.Core.Extraction;

/// <summary>One extraction job's files, in <c>&lt;data&gt;/tenants/&lt;tenant&gt;/extractions/&lt;job&gt;/</c>: the frozen
/// item list (<c>ids.txt</c>, and for text sources <c>texts.jsonl</c>, one JSON string per row) and the outputs.</summary>
public sealed class ExtractionFolder(string tenantsRoot, string tenant, string jobId)
{
    public string Path { get; } = System.IO.Path.Combine(tenantsRoot, tenant, "extractions", jobId);

    public string Embeddings => File("embeddings.npy");
    public string Ids => File("ids.txt");
    public string Texts => File("texts.jsonl");
    public string Predictions => File("predictions.npy");
    public string PredictionColumns => File("columns.txt");

    public string Of(ExtractionFile file) => file switch
    {
        ExtractionFile.Embeddings => Embeddings,
        ExtractionFile.Ids => Ids,
        ExtractionFile.Predictions => Predictions,
        _ => PredictionColumns,
    };

    /// <summary>An empty folder: whatever an earlier, uncommitted first run left is removed.</summary>
    public void Reset()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        Directory.CreateDirectory(Path);
    }

    public void Delete()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }

    /// <summary>Writes one line per item and makes the file durable.</summary>
    public static void WriteLines(string path, IEnumerable<string> lines)
    {
        using var writer = Create(path);
        foreach (var line in lines) writer.WriteLine(line);
        Sync(writer);
    }

    /// <summary>Copies a text source: its ids into ids.txt and its texts into texts.jsonl, in one pass; returns the rows.</summary>
    public int WriteTexts(IEnumerable<TextRow> rows)
    {
        using var ids = Create(Ids);
        using var texts = Create(Texts);
        var count = 0;
        foreach (var row in rows)
        {
            ids.WriteLine(row.Id);
            texts.WriteLine(JsonSerializer.Serialize(row.Text));
            count++;
        }
        Sync(ids);
        Sync(texts);
        return count;
    }

    private static StreamWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };

    private static void Sync(StreamWriter writer)
    {
        writer.Flush();
        ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
    }

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
