namespace TransferService.Onnx.Training;

/// <summary>Splits the training set into fixed-size batches in a fresh random order each epoch. The last batch is
/// padded with row 0 at sample weight 0, so every step has the same shapes and the bindings stay reusable.</summary>
internal sealed class EpochBatches
{
    private readonly int[] _labels;
    private readonly float[] _classWeights;
    private readonly int[] _order;
    private readonly Random _random;

    /// <param name="random">The run's generator: shuffling draws from it, so a seed fixes the order.</param>
    public EpochBatches(int[] labels, int batchSize, float[] classWeights, Random random)
    {
        _labels = labels;
        _classWeights = classWeights;
        _random = random;
        _order = Enumerable.Range(0, labels.Length).ToArray();
        BatchSize = batchSize;
        BatchesPerEpoch = (labels.Length + batchSize - 1) / batchSize;
    }

    public int BatchSize { get; }
    public int BatchesPerEpoch { get; }

    public void Shuffle() => _random.Shuffle(_order);

    public void Fill(int batch, Span<long> indices, Span<long> labels, Span<float> sampleWeights)
    {
        var start = batch * BatchSize;
        for (var i = 0; i < BatchSize; i++)
        {
            var position = start + i;
            var row = position < _order.Length ? _order[position] : 0;
            indices[i] = row;
            labels[i] = _labels[row];
            sampleWeights[i] = position < _order.Length ? _classWeights[_labels[row]] : 0;
        }
    }
}
