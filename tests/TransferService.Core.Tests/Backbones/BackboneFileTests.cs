using TransferService.Core.Backbones;
using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Backbones;

public sealed class BackboneFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backbone-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Resolve_SymlinkToAFileInsideTheFolder_Accepted()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "real"));
        File.WriteAllText(Path.Combine(_folder, "real", "vocab.txt"), "[PAD]");
        File.CreateSymbolicLink(Path.Combine(_folder, "vocab.txt"), "real/vocab.txt");

        var path = BackboneFile.Resolve(_folder, "vocab.txt", "text.vocabulary", 100);

        Assert.Equal(Path.Combine(_folder, "real", "vocab.txt"), path);
    }

    [Fact]
    public void Resolve_SymlinkLoop_InvalidArgument()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_folder, "b"), "a");

        var error = Assert.Throws<TransferException>(() => BackboneFile.Resolve(_folder, "a", "model", 100));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
    }

    [Fact]
    public void ReadAllBytes_FileAtAndOverTheCap_ReadOrRefusedNamingTheField()
    {
        File.WriteAllBytes(Path.Combine(_folder, "ten"), new byte[10]);

        Assert.Equal(10, BackboneFile.ReadAllBytes(_folder, "ten", "text.vocabulary", 10).Length);
        var error = Assert.Throws<TransferException>(() => BackboneFile.ReadAllBytes(_folder, "ten", "text.vocabulary", 9));
        Assert.Equal("text.vocabulary", error.Field);
        Assert.DoesNotContain(_folder, error.Message);
    }
}
