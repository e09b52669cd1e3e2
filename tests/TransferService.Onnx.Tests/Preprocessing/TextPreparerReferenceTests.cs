using TransferService.Core.Inputs;
using TransferService.Onnx.Installation;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Tests.Preprocessing;

/// <summary>The minilm backbone must see exactly the ids Hugging Face's BERT tokenizer gives, for every line
/// of the corpus (line breaks, symbols, accents, CJK, emoji, control and zero-width characters, long words).</summary>
public sealed class TextPreparerReferenceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("minilm-vocabulary-").FullName;

    public TextPreparerReferenceTests() =>
        MiniLmBuiltin.ExtractTo(Path.Combine(AppContext.BaseDirectory, "builtin-models", MiniLmBuiltin.Name), _folder);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Prepare_EveryCorpusLine_GivesTheReferenceIds(bool lowercase)
    {
        var spec = MiniLmBuiltin.Manifest.Text! with { Lowercase = lowercase };
        var preparer = new TextPreparer(spec, _folder);
        var corpus = ReferenceTokenizer.ReadCorpus();
        var expected = ReferenceTokenizer.EncodeCorpus(Path.Combine(_folder, spec.Vocabulary), lowercase);
        Assert.Equal(corpus.Count, expected.Count);

        var differences = corpus.Select((text, line) => (text, line, actual: ((PreparedTokens)preparer.Prepare(new TextInput(text))).Ids))
            .Where(row => !row.actual.SequenceEqual(expected[row.line]))
            .Select(row => $"line {row.line + 1} {System.Text.Json.JsonSerializer.Serialize(row.text)}: reference [{string.Join(',', expected[row.line])}], service [{string.Join(',', row.actual)}]")
            .ToList();

        Assert.True(differences.Count == 0, $"{differences.Count} of {corpus.Count} lines differ:\n{string.Join('\n', differences)}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
