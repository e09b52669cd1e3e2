using CsCheck;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;
using TransferService.Core.Tests.Properties;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Tests.Properties;

/// <summary>Every preparer, given any input of any kind, prepares it or refuses it as InvalidArgument; what it
/// prepares has the size the model expects.</summary>
public sealed class PreparerPropertyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("preparer-props-").FullName;

    public PreparerPropertyTests() =>
        File.WriteAllLines(Path.Combine(_folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s", "é", "a"]);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ImagePreparer_AnyInput_ModelSizedPixelsOrInvalidArgument()
    {
        var preparer = new ImagePreparer(new ImageSpec { Input = "x", Width = 8, Height = 6, MaxPixels = 1000 });

        HostileInputs.Any.Sample(input => DefinedOutcome.Of(() =>
        {
            var pixels = (PreparedPixels)preparer.Prepare(input);
            Assert.Contains(pixels.RowChannels, new[] { 3, 4 });
            Assert.Equal(8 * 6 * pixels.RowChannels, pixels.Rows.Length);
        }, ErrorCode.InvalidArgument), iter: 1500);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TextPreparer_AnyInput_BoundedTokensOrInvalidArgument(bool truncate)
    {
        var preparer = new TextPreparer(new TextSpec { MaxTokens = 12, MaxCharacters = 60, Truncate = truncate }, _folder);

        HostileInputs.Any.Sample(input => DefinedOutcome.Of(() =>
        {
            var ids = ((PreparedTokens)preparer.Prepare(input)).Ids;
            Assert.InRange(ids.Length, 2, 12);
            Assert.Equal(2, ids[0]);
            Assert.Equal(3, ids[^1]);
        }, ErrorCode.InvalidArgument), iter: 3000);
    }

    [Fact]
    public void TensorPreparer_AnyInput_FiniteValuesOfTheShapeOrInvalidArgument()
    {
        var preparer = new TensorPreparer(new TensorSpec { Input = "x", Shape = [2, 3] });

        HostileInputs.Any.Sample(input => DefinedOutcome.Of(() =>
        {
            var values = ((PreparedFloats)preparer.Prepare(input)).Values;
            Assert.Equal(6, values.Length);
            Assert.All(values, v => Assert.True(float.IsFinite(v)));
        }, ErrorCode.InvalidArgument), iter: 3000);
    }
}
