using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Backbones;
using TransferService.Core.Inputs;
using TransferService.Onnx.Graphs;
using TransferService.Onnx.Preprocessing;

namespace TransferService.Onnx.Sessions;

/// <summary>In-graph data path: feeds the token ids, padded to the longest text of the batch, and each text's token
/// count (<see cref="ServingGraph.TokenCountsInput"/>); the graph makes the mask and type ids from them.</summary>
internal sealed class TokenIdFeeder(TextSpec spec, int maxBatchSize) : IBatchFeeder
{
    private readonly PinnedInput<long> _ids = new(spec.InputIds, spec.MaxTokens * maxBatchSize);
    private readonly PinnedInput<long> _counts = new(ServingGraph.TokenCountsInput, maxBatchSize);

    public ReadOnlySpan<long> Mask => [];

    public void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count, int rows)
    {
        System.Diagnostics.Debug.Assert(rows == count, "token rows are never padded");
        var tokens = TokenRows.Write(batch, start, count, _ids.Buffer);
        for (var i = 0; i < count; i++) _counts.Buffer[i] = ((PreparedTokens)batch[start + i]).Ids.Length;
        _ids.Bind(binding, [count, tokens]);
        _counts.Bind(binding, [count]);
    }

    public void Release()
    {
        _ids.Release();
        _counts.Release();
    }

    public void Dispose() => Release();
}
