using TransferService.Core.Errors;
using TransferService.Core.Extraction;

namespace TransferService.Core.Tests.Extraction;

public sealed class TextFileReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("text-reader").FullName;

    [Fact]
    public void Read_CsvWithQuotedFieldsAndNoIdColumn_TextsInOrderIdsAreRowNumbers()
    {
        var rows = Read(ExtractionSourceKind.Csv, "label,text\r\nx,\"one, two\"\r\ny,\"say \"\"hi\"\"\nagain\"\r\nz,plain\r\n");

        Assert.Equal([new TextRow("0", "one, two"), new TextRow("1", "say \"hi\"\nagain"), new TextRow("2", "plain")], rows);
    }

    [Fact]
    public void Read_JsonlWithStringAndNumberIdsAndBlankLines_IdsKept()
    {
        var rows = Read(ExtractionSourceKind.Jsonl, "{\"id\": \"a\", \"text\": \"first\"}\n\n{\"id\": 7, \"text\": \"second\"}\n{\"text\": \"third\"}\n");

        Assert.Equal([new TextRow("a", "first"), new TextRow("7", "second"), new TextRow("2", "third")], rows);
    }

    [Theory]
    [InlineData(ExtractionSourceKind.Csv, "id,body\n1,hello\n", "no \"text\" column")]
    [InlineData(ExtractionSourceKind.Csv, "id,text\n1,hello,extra\n", "line 2")]
    [InlineData(ExtractionSourceKind.Csv, "id,text\n1,\"never closed\n", "not closed")]
    [InlineData(ExtractionSourceKind.Jsonl, "{\"text\": \"ok\"}\nnot json\n", "line 2")]
    [InlineData(ExtractionSourceKind.Jsonl, "{\"text\": \"\"}\n", "empty")]
    [InlineData(ExtractionSourceKind.Jsonl, "{\"text\": \"ok\", \"id\": \"a\\nb\"}\n", "one line")]
    [InlineData(ExtractionSourceKind.Jsonl, "{\"text\": \"0123456789012345678901234567890123456789\"}\n", "longer than 32")]
    [InlineData(ExtractionSourceKind.Jsonl, "{\"text\": \"a\"}\n{\"text\": \"b\"}\n{\"text\": \"c\"}\n{\"text\": \"d\"}\n", "more than 3 rows")]
    [InlineData(ExtractionSourceKind.Jsonl, "{\"text\": \"twelve chars\"}\n", "at most 10")]
    [InlineData(ExtractionSourceKind.Jsonl, "\n", "no rows")]
    public void Read_BadFile_InvalidArgumentOnTheFieldSayingWhy(ExtractionSourceKind kind, string content, string reason)
    {
        var error = Assert.Throws<TransferException>(() => Read(kind, content, maxTextCharacters: 10));

        Assert.Equal((ErrorCode.InvalidArgument, "source_file"), (error.Code, error.Field));
        Assert.Contains(reason, error.Message);
    }

    private TextRow[] Read(ExtractionSourceKind kind, string content, int maxTextCharacters = 1000)
    {
        var path = Path.Combine(_folder, "texts");
        File.WriteAllText(path, content);
        return new TextFileReader(new ExtractionOptions { MaxLineCharacters = 32, MaxItems = 3 }, maxTextCharacters).Read(path, kind, "source_file").ToArray();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
