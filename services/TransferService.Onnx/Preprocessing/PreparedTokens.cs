using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>One text as WordPiece ids, special tokens included, already cut to the backbone's limit.</summary>
internal sealed class PreparedTokens : PreparedInput
{
    public PreparedTokens(long[] ids)
    {
        Ids = ids;
        Bytes = ids.LongLength * sizeof(long);
    }

    public long[] Ids { get; }
}
