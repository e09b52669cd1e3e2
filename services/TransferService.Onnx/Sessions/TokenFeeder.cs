using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Sessions;

/// <summary>Host data path: feeds token ids, attention mask and (when the model has them) token type ids, padded to
/// the longest text of the batch, through reusable pinned buffers; the mask stays readable for pooling here.</summary>
internal sealed class TokenFeeder(TextSpec spec, int maxBatchSize) : IBatchFeeder
{
    private readonly PinnedInput<long> _ids = new(spec.InputIds, spec.MaxTokens * maxBatchSize);
    private readonly PinnedInput<long> _mask = new(spec.AttentionMask, spec.MaxTokens * maxBatchSize);
    private readonly PinnedInput<long> _types = ZeroTypes(spec, maxBatchSize);
    private int _maskLength;

    public ReadOnlySpan<long> Mask => _mask.Buffer.AsSpan(0, _maskLength);

    public void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count, int rows)
    {
        System.Diagnostics.Debug.Assert(rows == count, "token rows are never padded");
        var tokens = TokenRows.Write(batch, start, count, _ids.Buffer);
        _maskLength = count * tokens;
        for (var i = 0; i < count; i++)
        {
            var length = ((PreparedTokens)batch[start + i]).Ids.Length;
            var mask = _mask.Buffer.AsSpan(i * tokens, tokens);
            mask[..length].Fill(1);
            mask[length..].Clear();
        }
        long[] shape = [count, tokens];
        _ids.Bind(binding, shape);
        _mask.Bind(binding, shape);
        if (spec.TokenTypeIds.Length > 0) _types.Bind(binding, shape);
    }

    private static PinnedInput<long> ZeroTypes(TextSpec spec, int maxBatchSize)
    {
        var types = new PinnedInput<long>(spec.TokenTypeIds, spec.MaxTokens * maxBatchSize);
        Array.Clear(types.Buffer);
        return types;
    }

    public void Release()
    {
        _ids.Release();
        _mask.Release();
        _types.Release();
    }

    public void Dispose() => Release();
}
