namespace TransferService.Tests.Infrastructure;

/// <summary>Fortune cookies labelled with their category (the file they come from, Debian package fortunes, unpacked
/// by test.sh): eight categories of 74 to 1,050 quotations, an imbalanced text set. Half of each category (a seeded
/// shuffle) is for training, the rest for testing.</summary>
public static class FortuneCategories
{
    public static readonly string Folder = TestDataFolder.Find("fortunes", "/var/cache/transferservice-test-data/fortunes");
    public static readonly string[] Categories = ["computers", "politics", "science", "startrek", "law", "food", "sports", "medicine"];

    public static ((string Text, string Label)[] Train, (string Text, string Label)[] Test) Load(int seed = 0)
    {
        var train = new List<(string, string)>();
        var test = new List<(string, string)>();
        var random = new Random(seed);
        foreach (var category in Categories)
        {
            var path = Path.Combine(Folder, category);
            if (!File.Exists(path)) throw new FileNotFoundException(TestDataFolder.Missing(path));
            var quotes = File.ReadAllText(path).Split("\n%\n").Select(t => t.Trim('%', '\n', ' ')).Where(t => t.Length > 0).ToArray();
            random.Shuffle(quotes);
            var half = quotes.Length / 2;
            train.AddRange(quotes[..half].Select(q => (q, category)));
            test.AddRange(quotes[half..].Select(q => (q, category)));
        }
        return (train.ToArray(), test.ToArray());
    }
}
