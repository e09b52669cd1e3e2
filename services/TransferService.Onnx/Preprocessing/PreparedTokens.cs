using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>One text as WordPiece ids, special tokens included, already cut to the backbone's limit.</summary>
internal sealed class PreparedTokens(long[] ids) : PreparedInput
{
    public long[] Ids { get; } = ids;
}
