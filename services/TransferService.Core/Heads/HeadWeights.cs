namespace TransferService.Core.Heads;

/// <summary>The parameters of a trained head: layer l maps X_l [N, in_l] to X_l·W_l + b_l [N, out_l], with ReLU
/// between layers; the last layer gives the logits. <c>Weights[l]</c> is row-major [in_l, out_l].</summary>
public sealed record HeadWeights(int InputDimension, int[] LayerSizes, float[][] Weights, float[][] Biases)
{
    public int Classes => LayerSizes[^1];

    public static int[] Layers(TrainingConfig config, int classes) =>
        config.Architecture == HeadArchitecture.Linear ? [classes] : [.. config.HiddenSizes, classes];
}
