namespace TransferService.Core.Heads;

/// <summary>A trained head ready to score embeddings on one lane. Owned by whoever created it; disposable.</summary>
public interface IHeadScorer : IDisposable
{
    /// <summary>Class probabilities softmax(logits / temperature), [count × classes] row-major.</summary>
    float[] Probabilities(ReadOnlySpan<float> embeddings, int count);
}
