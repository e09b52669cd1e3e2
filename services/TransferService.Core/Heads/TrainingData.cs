namespace TransferService.Core.Heads;

/// <summary>Embeddings [Count × Dimension] row-major and their class indices 0..C-1.</summary>
public sealed record TrainingData(float[] Features, int[] Labels, int Dimension)
{
    public int Count => Labels.Length;
}
