using TransferService.Core.Backbones;
using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Backbones;

/// <summary><c>image.background</c>: what alpha is composited onto, white unless the manifest says otherwise.</summary>
public sealed class BackboneManifestBackgroundTests
{
    private static string Image(string background) => $$"""
        { "modality": "image", "output": "e", "dimension": 4, "image": { "input": "x"{{background}} } }
        """;

    [Fact]
    public void Parse_NoBackground_White()
    {
        var manifest = BackboneManifestReader.Parse(Image(""), "b");

        Assert.Equal([255, 255, 255], manifest.Image!.Background);
    }

    [Fact]
    public void Parse_BlackBackground_Kept()
    {
        var manifest = BackboneManifestReader.Parse(Image(""", "background": [0, 0, 0]"""), "b");

        Assert.Equal([0, 0, 0], manifest.Image!.Background);
    }

    [Theory]
    [InlineData("[0, 0, 256]")]
    [InlineData("[-1, 0, 0]")]
    [InlineData("[0, 0]")]
    [InlineData("[0, 0, 0, 0]")]
    [InlineData("[]")]
    [InlineData("[0.5, 0, 0]")]
    [InlineData("[0, \"0\", 0]")]
    [InlineData("\"white\"")]
    [InlineData("255")]
    [InlineData("null")]
    public void Parse_BadBackground_InvalidArgumentNamingImageBackground(string background)
    {
        var error = Assert.Throws<TransferException>(() => BackboneManifestReader.Parse(Image($", \"background\": {background}"), "b"));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal("image.background", error.Field);
    }
}
