using Google.Protobuf;
using TransferService.Cli.Inputs;
using TransferService.Client;
using TransferService.Client.Datasets;
using TransferService.Contracts.V1;

namespace TransferService.Tests.Client;

/// <summary>The client's local helpers: how files become examples and how an upload is cut into messages.</summary>
public sealed class ClientHelperTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("client-");

    [Fact]
    public void TextLabelFile_CsvWithQuotedCommasQuotesAndLineBreaks_ReadsEachRecord()
    {
        var path = Path.Combine(_folder.FullName, "t.csv");
        File.WriteAllText(path, "id,label,text\r\n1,billing,\"charged twice, \"\"again\"\"\"\r\n2,bug,\"crashes\non login\"\n\n3,bug,plain\n");

        var examples = TextLabelFile.Read(path).ToList();

        Assert.Equal(["charged twice, \"again\"", "crashes\non login", "plain"], examples.Select(e => e.Input.Text));
        Assert.Equal(["billing", "bug", "bug"], examples.Select(e => e.Label));
    }

    [Fact]
    public void TextLabelFile_JsonLines_ReadsEachObjectAndNamesABadLine()
    {
        var path = Path.Combine(_folder.FullName, "t.jsonl");
        File.WriteAllText(path, "{\"text\": \"refund please\", \"label\": \"billing\"}\n\n{\"text\": \"no label\"}\n");

        using var examples = TextLabelFile.Read(path).GetEnumerator();

        Assert.True(examples.MoveNext());
        Assert.Equal(("refund please", "billing"), (examples.Current.Input.Text, examples.Current.Label));
        Assert.Contains("line 3", Assert.Throws<InvalidDataException>(() => examples.MoveNext()).Message);
    }

    [Fact]
    public async Task PartialFile_WriterFailsHalfWay_LeavesTheEarlierFileAsItWasAndNoTemporaryFile()
    {
        var path = Path.Combine(_folder.FullName, "embeddings.npy");
        await PartialFile.WriteAsync(path, file => file.WriteAsync(new byte[] { 1, 2, 3 }).AsTask());

        await Assert.ThrowsAsync<IOException>(() => PartialFile.WriteAsync(path, async file =>
        {
            await file.WriteAsync(new byte[] { 9, 9 });
            throw new IOException("the stream was cut");
        }));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_folder.FullName));
    }

    [Fact]
    public void DatasetUploader_ManyExamples_CutsMessagesByCountAndBytes()
    {
        var examples = Enumerable.Range(0, 10).Select(i => new LabeledExample
        {
            Label = "a", Input = new Input { Image = ByteString.CopyFrom(new byte[i == 5 ? 5000 : 100]) },
        });

        var messages = DatasetUploader.Messages("d", examples, new DatasetUploadOptions { MaxMessageBytes = 1000, MaxExamplesPerMessage = 3 }).ToList();

        Assert.Equal([3, 2, 1, 3, 1], messages.Select(m => m.Examples.Count));
        Assert.Equal(["d", "", "", "", ""], messages.Select(m => m.Name));
    }

    [Theory]
    [InlineData("tickets", "tickets", 0u, "")]
    [InlineData("tickets:3", "tickets", 3u, "")]
    [InlineData("tickets@prod", "tickets", 0u, "prod")]
    public void HeadReferences_Text_ParsesNameVersionAlias(string text, string name, uint version, string alias)
    {
        var head = HeadReferences.Parse(text);

        Assert.Equal((name, version, alias), (head.Name, head.Version, head.Alias));
    }

    [Fact]
    public void HeadReferences_VersionNotANumber_FailsNamingTheAliasForm() =>
        Assert.Contains("name@prod", Assert.Throws<FormatException>(() => HeadReferences.Parse("tickets:prod")).Message);

    public void Dispose() => _folder.Delete(recursive: true);
}
