using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Onnx.Sessions;

namespace TransferService.Onnx.Tests.Sessions;

public sealed class EmbeddingPoolerTests
{
    [Fact]
    public void Pool_MaskedMean_AveragesOnlyTheKeptTokens()
    {
        // 2 items × 3 tokens × 2 dims; item 0 keeps tokens 0 and 1, item 1 keeps token 0 only.
        float[] output = [1, 2, 3, 4, 100, 100, 5, 6, 100, 100, 100, 100];
        long[] mask = [1, 1, 0, 1, 0, 0];
        var embeddings = new float[4];

        EmbeddingPooler.Pool(Pooling.MaskedMean, output, [2, 3, 2], mask, 2, embeddings);

        Assert.Equal(new float[] { 2, 3, 5, 6 }, embeddings);
    }

    [Fact]
    public void Pool_SpatialMean_AveragesEachChannelOverPositions()
    {
        // 1 item, 2 channels, 2×2 positions.
        float[] output = [1, 2, 3, 4, 10, 20, 30, 40];
        var embeddings = new float[2];

        EmbeddingPooler.Pool(Pooling.SpatialMean, output, [1, 2, 2, 2], [], 2, embeddings);

        Assert.Equal(new float[] { 2.5f, 25 }, embeddings);
    }

    [Fact]
    public void Pool_Cls_TakesTheFirstToken()
    {
        float[] output = [1, 2, 3, 4, 5, 6, 7, 8];
        var embeddings = new float[4];

        EmbeddingPooler.Pool(Pooling.Cls, output, [2, 2, 2], [], 2, embeddings);

        Assert.Equal(new float[] { 1, 2, 5, 6 }, embeddings);
    }

    [Fact]
    public void Pool_OutputNotMatchingDimension_FailedPreconditionNamingDimension()
    {
        var error = Assert.Throws<TransferException>(() =>
            EmbeddingPooler.Pool(Pooling.None, new float[6], [2, 3], [], 2, new float[4]));

        Assert.Equal((ErrorCode.FailedPrecondition, "dimension"), (error.Code, error.Field));
    }
}
