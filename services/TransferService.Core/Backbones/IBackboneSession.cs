using TransferService.Core.Inputs;

namespace TransferService.Core.Backbones;

/// <summary>One backbone loaded on one device lane. Not thread-safe: its lane runs one batch at a time.
/// The registry owns it and disposes it on unload.</summary>
public interface IBackboneSession : IDisposable
{
    string Lane { get; }

    /// <summary>Runs one batch synchronously and writes the pooled embeddings, <c>batch.Count × Dimension</c> floats
    /// row-major, into <paramref name="embeddings"/>. They may already be L2-normalised when the manifest asks for
    /// it (normalising inside the model); normalising again changes them only by float rounding.</summary>
    void Run(IReadOnlyList<PreparedInput> batch, Span<float> embeddings, CancellationToken cancellationToken);
}
