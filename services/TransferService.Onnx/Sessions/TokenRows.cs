using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Sessions;

internal static class TokenRows
{
    /// <summary>Writes the texts' ids as rows padded with 0 to the longest of them; returns that length.</summary>
    public static int Write(IReadOnlyList<PreparedInput> batch, int start, int count, long[] target)
    {
        var tokens = 0;
        for (var i = 0; i < count; i++) tokens = Math.Max(tokens, ((PreparedTokens)batch[start + i]).Ids.Length);
        for (var i = 0; i < count; i++)
        {
            var ids = ((PreparedTokens)batch[start + i]).Ids;
            var row = target.AsSpan(i * tokens, tokens);
            ids.CopyTo(row);
            row[ids.Length..].Clear();
        }
        return tokens;
    }
}
