using System.Text.Json;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Backbones;

/// <summary><c>precision</c>: fp32 unless the manifest asks for fp16; only fp16 changes what the embedding cache keys on.</summary>
public sealed class BackboneManifestPrecisionTests
{
    private static string Text(string precision) => $$"""
        { "modality": "text", "output": "h", "dimension": 4, "pooling": "masked_mean", "text": {}{{precision}} }
        """;

    [Fact]
    public void Parse_NoPrecision_Fp32AndSerializedAsBeforeTheField()
    {
        var manifest = BackboneManifestReader.Parse(Text(""), "b");

        Assert.Equal(Precision.Fp32, manifest.Precision);
        // The cache's key hashes this serialisation: fp32 manifests keep their key, and so their cached embeddings.
        Assert.DoesNotContain("Precision", JsonSerializer.Serialize(manifest));
    }

    [Fact]
    public void Parse_Fp16_ChangesTheSerializationTheCacheKeysOn()
    {
        var fp16 = BackboneManifestReader.Parse(Text(""", "precision": "fp16" """), "b");
        var fp32 = BackboneManifestReader.Parse(Text(""", "precision": "fp32" """), "b");

        Assert.Equal(Precision.Fp16, fp16.Precision);
        Assert.NotEqual(JsonSerializer.Serialize(fp32), JsonSerializer.Serialize(fp16));
        Assert.Equal(JsonSerializer.Serialize(BackboneManifestReader.Parse(Text(""), "b")), JsonSerializer.Serialize(fp32));
    }

    [Theory]
    [InlineData("\"fp8\"")]
    [InlineData("\"half\"")]
    [InlineData("1")]
    public void Parse_UnknownPrecision_InvalidArgumentNamingPrecision(string precision)
    {
        var error = Assert.Throws<TransferException>(() => BackboneManifestReader.Parse(Text($", \"precision\": {precision}"), "b"));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal("precision", error.Field);
    }
}
