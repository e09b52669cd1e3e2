using TransferService.Core.Inputs;

namespace TransferService.Core.Backbones;

/// <summary>One backbone loaded on one device lane. Not thread-safe: its lane runs one batch at a time.
/// The registry owns it and disposes it on unload.</summary>
public interface IBackboneSession : IDisposable
{
    string Lane { get; }

    /// <summary>Runs one batch synchronously and writes the pooled (not normalised) embeddings,
    /// <c>batch.Count × Dimension</c> floats row-major, into <paramref name="embeddings"/>.</summary>
    void Run(IReadOnlyList<PreparedInput> batch, Span<float> embeddings, CancellationToken cancellationToken);
}
