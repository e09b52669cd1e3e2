using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Inputs;

namespace TransferService.Onnx.Sessions;

/// <summary>Copies a batch of prepared items into the feeder's pinned input buffers and binds them.
/// The feeder owns its buffers and the OrtValues over them; <see cref="Release"/> ends one run's values.</summary>
internal interface IBatchFeeder : IDisposable
{
    void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count);

    /// <summary>Attention mask of the last bound batch, [count × tokens] (text only; empty otherwise).</summary>
    ReadOnlySpan<long> Mask { get; }

    void Release();
}
