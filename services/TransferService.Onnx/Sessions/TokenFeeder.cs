using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Sessions;

/// <summary>Feeds token ids, attention mask and (when the model has them) token type ids, padded to the
/// longest text of the batch, through reusable pinned buffers.</summary>
internal sealed class TokenFeeder(TextSpec spec, int maxBatchSize) : IBatchFeeder
{
    private readonly long[] _ids = GC.AllocateUninitializedArray<long>(spec.MaxTokens * maxBatchSize, pinned: true);
    private readonly long[] _mask = GC.AllocateUninitializedArray<long>(spec.MaxTokens * maxBatchSize, pinned: true);
    private readonly long[] _types = GC.AllocateArray<long>(spec.MaxTokens * maxBatchSize, pinned: true);
    private readonly List<OrtValue> _values = [];
    private int _maskLength;

    public ReadOnlySpan<long> Mask => _mask.AsSpan(0, _maskLength);

    public void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count)
    {
        var tokens = 0;
        for (var i = 0; i < count; i++) tokens = Math.Max(tokens, ((PreparedTokens)batch[start + i]).Ids.Length);
        _maskLength = count * tokens;
        for (var i = 0; i < count; i++)
        {
            var ids = ((PreparedTokens)batch[start + i]).Ids;
            var row = _ids.AsSpan(i * tokens, tokens);
            var mask = _mask.AsSpan(i * tokens, tokens);
            ids.CopyTo(row);
            row[ids.Length..].Clear();
            mask[..ids.Length].Fill(1);
            mask[ids.Length..].Clear();
        }
        long[] shape = [count, tokens];
        Bind(binding, spec.InputIds, _ids, shape);
        Bind(binding, spec.AttentionMask, _mask, shape);
        if (spec.TokenTypeIds.Length > 0) Bind(binding, spec.TokenTypeIds, _types, shape);
    }

    private void Bind(OrtIoBinding binding, string name, long[] buffer, long[] shape)
    {
        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, (int)(shape[0] * shape[1])), shape);
        _values.Add(value);
        binding.BindInput(name, value);
    }

    public void Release()
    {
        foreach (var value in _values) value.Dispose();
        _values.Clear();
    }

    public void Dispose() => Release();
}
