using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Training;

/// <summary>What a training-step graph is generated for. Hyperparameters that stay fixed for a run (smoothing,
/// weight decay) are baked in as constants; the learning rate and step are inputs.</summary>
/// <param name="LayerSizes">Output size of each layer; the last is the number of classes.</param>
/// <param name="DropoutMasks">Whether hidden layers take a dropout mask input [B,hidden], scaled by 1/(1−p) by the host.</param>
/// <param name="EmitGradients">Also output each parameter's gradient p_grad (for gradient checks).</param>
/// <param name="StackedWeightDecays">For linear heads trained together: one weight decay per head (replacing
/// <paramref name="WeightDecay"/>). The heads are side by side in one layer of <see cref="Heads"/> × C outputs with one
/// learning rate each (the input is a vector); their losses and gradients never mix, so each trains as it would alone,
/// on the same batches, for the price of one wider Gemm per step.</param>
internal sealed record TrainingGraphSpec(
    int InputDimension,
    int[] LayerSizes,
    DataType ElementType,
    double LabelSmoothing,
    double WeightDecay,
    bool DropoutMasks = false,
    bool EmitGradients = false,
    double[]? StackedWeightDecays = null)
{
    public int Layers => LayerSizes.Length;
    public int Classes => LayerSizes[^1];
    /// <summary>Heads trained side by side: 1 unless <see cref="StackedWeightDecays"/> is set.</summary>
    public int Heads => StackedWeightDecays?.Length ?? 1;
    public bool Stacked => StackedWeightDecays is not null;

    public int LayerInput(int layer) => layer == 0 ? InputDimension : LayerSizes[layer - 1];

    /// <summary>Outputs of a layer's parameters: the logits layer holds every head's classes side by side.</summary>
    public int LayerWidth(int layer) => layer == Layers - 1 ? LayerSizes[layer] * Heads : LayerSizes[layer];

    public long[] WeightShape(int layer) => [LayerInput(layer), LayerWidth(layer)];
    public long[] BiasShape(int layer) => [LayerWidth(layer)];

    /// <summary>Every parameter with its shape, in layer order: W0, b0, W1, b1, ….</summary>
    public IEnumerable<(string Name, long[] Shape)> Parameters() =>
        Enumerable.Range(0, Layers).SelectMany(l => new[]
        {
            (HeadTensorNames.Weights(l), WeightShape(l)), (HeadTensorNames.Bias(l), BiasShape(l)),
        });

    /// <summary>Every tensor a step carries to the next: each parameter and its two moments, with shapes.</summary>
    public IEnumerable<(string Name, long[] Shape)> StateTensors() =>
        Parameters().SelectMany(p => new[]
        {
            p, (HeadTensorNames.FirstMoment(p.Name), p.Shape), (HeadTensorNames.SecondMoment(p.Name), p.Shape),
        });
}
