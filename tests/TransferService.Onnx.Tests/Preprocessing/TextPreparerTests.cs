using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Tests.Preprocessing;

/// <summary>The tokenizer's rules on a vocabulary small enough to read; TextPreparerReferenceTests checks the real
/// vocabulary against the reference.</summary>
public sealed class TextPreparerTests : IDisposable
{
    // Ids are line numbers.
    private static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "coffee", "export", "##s", "cafe", "$", "+", "中", "文", "a"];

    private readonly string _folder = Directory.CreateTempSubdirectory("text-preparer-").FullName;

    [Theory]
    [InlineData("Coffee\nexports", new long[] { 2, 5, 6, 7, 3 })]
    [InlineData("coffee\texports\r\n", new long[] { 2, 5, 6, 7, 3 })]
    [InlineData("$coffee+", new long[] { 2, 9, 5, 10, 3 })]
    [InlineData("CAFÉ café", new long[] { 2, 8, 8, 3 })]
    [InlineData("a中文a", new long[] { 2, 13, 11, 12, 13, 3 })]
    [InlineData("cof\u200Bfee 🙂", new long[] { 2, 5, 1, 3 })]
    [InlineData("a[MASK]coffee [mask]", new long[] { 2, 13, 4, 5, 1, 1, 1, 3 })]
    public void Prepare_Text_GivesWordPieceIds(string text, long[] expected)
    {
        var prepared = (PreparedTokens)Preparer(new TextSpec()).Prepare(new TextInput(text));

        Assert.Equal(expected, prepared.Ids);
    }

    [Fact]
    public void Prepare_WordOver100Characters_IsOneUnknown()
    {
        var prepared = (PreparedTokens)Preparer(new TextSpec()).Prepare(new TextInput("a " + new string('a', 101)));

        Assert.Equal(new long[] { 2, 13, 1, 3 }, prepared.Ids);
    }

    [Fact]
    public void Prepare_OverMaxTokens_CutKeepingSeparator()
    {
        var prepared = Preparer(new TextSpec { MaxTokens = 4 }).Prepare(new TextInput("coffee exports coffee"));

        Assert.Equal(new long[] { 2, 5, 6, 3 }, ((PreparedTokens)prepared).Ids);
        Assert.True(prepared.Report.Truncated);
    }

    [Fact]
    public void Create_VocabularyWithoutSeparator_RefusedNamingTheField()
    {
        File.WriteAllLines(Path.Combine(_folder, "vocab.txt"), ["[UNK]", "[CLS]", "coffee"]);

        var error = Assert.Throws<TransferException>(() => new TextPreparer(new TextSpec(), _folder));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal("text.vocabulary", error.Field);
        Assert.DoesNotContain(_folder, error.Message);
    }

    private TextPreparer Preparer(TextSpec spec)
    {
        File.WriteAllLines(Path.Combine(_folder, "vocab.txt"), Vocabulary);
        return new TextPreparer(spec, _folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
