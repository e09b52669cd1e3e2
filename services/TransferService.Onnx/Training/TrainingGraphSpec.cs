using DataType = Onnx.TensorProto.Types.DataType;

namespace TransferService.Onnx.Training;

/// <summary>What a training-step graph is generated for. Hyperparameters that stay fixed for a run (smoothing,
/// weight decay) are baked in as constants; the learning rate and step are inputs.</summary>
/// <param name="LayerSizes">Output size of each layer; the last is the number of classes.</param>
/// <param name="DropoutMasks">Whether hidden layers take a dropout mask input [B,hidden], scaled by 1/(1−p) by the host.</param>
/// <param name="EmitGradients">Also output each parameter's gradient p_grad (for gradient checks).</param>
internal sealed record TrainingGraphSpec(
    int InputDimension,
    int[] LayerSizes,
    DataType ElementType,
    double LabelSmoothing,
    double WeightDecay,
    bool DropoutMasks = false,
    bool EmitGradients = false)
{
    public int Layers => LayerSizes.Length;
    public int Classes => LayerSizes[^1];

    public int LayerInput(int layer) => layer == 0 ? InputDimension : LayerSizes[layer - 1];

    public long[] WeightShape(int layer) => [LayerInput(layer), LayerSizes[layer]];
    public long[] BiasShape(int layer) => [LayerSizes[layer]];

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
