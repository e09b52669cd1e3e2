using CsCheck;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Properties;

/// <summary>Any backbone.json text parses or is refused as InvalidArgument: random text, valid manifests with
/// characters dropped, replaced or inserted, and valid manifests with one value swapped for a hostile one.</summary>
public sealed class ManifestReaderPropertyTests
{
    private static readonly string[] Valid =
    [
        """{ "modality": "image", "output": "e", "dimension": 512, "pooling": "spatial_mean", "image": { "input": "x", "mean": [0.4, 0.4, 0.4], "std": [0.2, 0.2, 0.2] } }""",
        """{ "modality": "text", "output": "e", "dimension": 384, "pooling": "masked_mean", "text": { "vocabulary": "vocab.txt", "maxTokens": 256 } }""",
        """{ "modality": "tensor", "output": "y", "dimension": 3, "tensor": { "input": "x", "shape": [4] } }""",
    ];

    private static readonly string[] HostileValues =
        ["null", "-1", "0", "1e400", "9223372036854775807", "\"\"", "[]", "{}", "[null]", "[4294967296, 4294967296]", "\"/etc/passwd\"", "true"];

    private static readonly Gen<string> Mutated =
        Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Int[0, 2], Gen.Int[0, 1000], Gen.Char, (which, edit, at, c) =>
        {
            var json = Valid[which];
            var i = at % json.Length;
            return edit switch
            {
                0 => json.Remove(i, 1),
                1 => json.Remove(i, 1).Insert(i, c.ToString()),
                _ => json.Insert(i, c.ToString()),
            };
        });

    /// <summary>A valid manifest with the value after one ':' replaced by a hostile value.</summary>
    private static readonly Gen<string> HostileValue =
        Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Int[0, 30], Gen.Int[0, HostileValues.Length - 1], (which, colon, value) =>
        {
            var json = Valid[which];
            var colons = json.Select((c, i) => (c, i)).Where(p => p.c == ':').Select(p => p.i).ToArray();
            var start = colons[colon % colons.Length] + 1;
            var end = start + 1;
            var depth = 0;
            for (; end < json.Length; end++)
            {
                if (json[end] is '[' or '{') depth++;
                else if (json[end] is ']' or '}' && depth-- == 0) break;
                else if (json[end] == ',' && depth == 0) break;
            }
            return json[..start] + " " + HostileValues[value] + json[end..];
        });

    [Fact]
    public void Parse_RandomText_ParsesOrInvalidArgument() =>
        Gen.String.Sample(json => DefinedOutcome.Of(() => BackboneManifestReader.Parse(json, "b"), ErrorCode.InvalidArgument), iter: 3000);

    [Fact]
    public void Parse_MutatedManifest_ParsesOrInvalidArgument() =>
        Mutated.Sample(json => DefinedOutcome.Of(() => BackboneManifestReader.Parse(json, "b"), ErrorCode.InvalidArgument), iter: 5000);

    [Fact]
    public void Parse_HostileValue_ParsesOrInvalidArgument() =>
        HostileValue.Sample(json => DefinedOutcome.Of(() => BackboneManifestReader.Parse(json, "b"), ErrorCode.InvalidArgument), iter: 2000);

    [Fact]
    public void Parse_TensorShapeWhoseProductOverflows_InvalidArgument()
    {
        var json = """{ "modality": "tensor", "output": "y", "dimension": 3, "tensor": { "input": "x", "shape": [4294967296, 4294967296] } }""";

        var error = Assert.Throws<TransferException>(() => BackboneManifestReader.Parse(json, "b"));

        Assert.Equal("tensor.shape", error.Field);
    }
}
