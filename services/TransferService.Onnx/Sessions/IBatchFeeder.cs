using Microsoft.ML.OnnxRuntime;
using TransferService.Core.Inputs;

namespace TransferService.Onnx.Sessions;

/// <summary>Copies a batch of prepared items into the feeder's pinned input buffers and binds them.
/// The feeder owns its buffers and the OrtValues over them; <see cref="Release"/> ends one run's values.</summary>
internal interface IBatchFeeder : IDisposable
{
    /// <summary>Binds items [start, start + count) of the batch as <paramref name="rows"/> rows: a feeder of
    /// fixed-shape items (images, tensors) pads them with rows of zeros (for a session of one batch size,
    /// <see cref="BatchShapes"/>); a token feeder's shape depends on its items, so it is only asked for rows = count.</summary>
    void Bind(OrtIoBinding binding, IReadOnlyList<PreparedInput> batch, int start, int count, int rows);

    /// <summary>Attention mask of the last bound batch, [count × tokens] (text only; empty otherwise).</summary>
    ReadOnlySpan<long> Mask { get; }

    void Release();
}
