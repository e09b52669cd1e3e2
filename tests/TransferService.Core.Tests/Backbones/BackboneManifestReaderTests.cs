using TransferService.Core.Backbones;
using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Backbones;

public sealed class BackboneManifestReaderTests
{
    private const string Image = """
        { "modality": "image", "output": "emb", "dimension": 512, "pooling": "spatial_mean",
          "image": { "input": "x", "scale": 0.00392157, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] } }
        """;

    [Fact]
    public void Parse_ValidImageManifest_AppliesDefaultsAndFolderName()
    {
        var manifest = BackboneManifestReader.Parse(Image, "resnet50");

        Assert.Equal(("resnet50", "1", Modality.Image, Pooling.SpatialMean), (manifest.Name, manifest.Version, manifest.Modality, manifest.Pooling));
        Assert.Equal((224, 224, "rgb"), (manifest.Image!.Width, manifest.Image.Height, manifest.Image.ChannelOrder));
        Assert.Equal("model.onnx", manifest.Model);
    }

    [Theory]
    [InlineData("""{ "modality": "image", "output": "e", "dimension": 4 }""", "image")]
    [InlineData("""{ "modality": "image", "output": "e", "dimension": 4, "image": { "input": "x", "std": [1, 0, 1] } }""", "image.std")]
    [InlineData("""{ "modality": "image", "output": "e", "dimension": 4, "image": { "input": "x", "channelOrder": "rbg" } }""", "image.channelOrder")]
    [InlineData("""{ "modality": "text", "output": "e", "dimension": 4, "text": { "maxTokens": 1 } }""", "text.maxTokens")]
    [InlineData("""{ "modality": "text", "output": "e", "dimension": 4, "pooling": "spatial_mean", "text": {} }""", "pooling")]
    [InlineData("""{ "modality": "tensor", "output": "e", "dimension": 4, "tensor": { "input": "x", "shape": [0] } }""", "tensor.shape")]
    [InlineData("""{ "modality": "tensor", "output": "e", "dimension": "four" }""", "dimension")]
    [InlineData("""{ "modality": "tensor", "dimension": 4 }""", "backbone.json")]
    [InlineData("""{ "name": "Bad Name", "modality": "tensor", "output": "e", "dimension": 4, "tensor": { "input": "x", "shape": [4] } }""", "name")]
    [InlineData("""{ "modality": "tensor", "output": "e", "dimension": 4, "model": "../x.onnx", "tensor": { "input": "x", "shape": [4] } }""", "model")]
    [InlineData("not json", "backbone.json")]
    public void Parse_BadManifest_InvalidArgumentNamingTheField(string json, string field)
    {
        var error = Assert.Throws<TransferException>(() => BackboneManifestReader.Parse(json, "b"));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal(field, error.Field);
    }
}
