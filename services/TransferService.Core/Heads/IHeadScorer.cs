using TransferService.Core.Scheduling;

namespace TransferService.Core.Heads;

/// <summary>A trained head ready to score embeddings on one lane. Owned by whoever created it; disposable.</summary>
public interface IHeadScorer : IDisposable
{
    /// <summary>Class probabilities softmax(logits / temperature), [count × classes] row-major.</summary>
    /// <remarks>Runs at once: the caller holds the lane (a <see cref="LaneTurn"/>) or has it to itself.</remarks>
    float[] Probabilities(ReadOnlySpan<float> embeddings, int count);

    /// <summary><see cref="Probabilities"/> as one unit of <paramref name="tag"/>'s work on the scorer's lane: waits
    /// for the lane's scheduler to give it the lane.</summary>
    Task<float[]> ScoreAsync(ReadOnlyMemory<float> embeddings, int count, WorkTag tag, CancellationToken cancellationToken);
}
