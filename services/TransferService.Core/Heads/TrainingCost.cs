namespace TransferService.Core.Heads;

/// <summary>The most one training run can cost, computed from the request before it is queued: the head's
/// parameters, its optimizer steps, and the memory it holds while it trains (for <see cref="Heads"/> linear heads
/// trained side by side, all of theirs) and then while it indexes the training rows for familiarity. Memory is
/// counted in float32 elements, the type the runtime trains in.</summary>
public sealed record TrainingCost(long Parameters, long StepsPerEpoch, long Steps, long StateBytes, long ActivationBytes, long EmbeddingBytes,
    long IndexBytes = 0, int Heads = 1)
{
    private const int ElementBytes = sizeof(float);

    /// <summary>The embeddings stay for the whole job; the neighbour index is built after training has let go of
    /// its state, so the two do not add up.</summary>
    public long Bytes => EmbeddingBytes + Math.Max(StateBytes + ActivationBytes, IndexBytes);

    /// <param name="heads">Candidates trained side by side in this run (<see cref="TrainingConfigs.StackGroups"/>).</param>
    /// <param name="indexRows">Rows of the training dataset the job indexes afterwards (at most <see cref="NeighbourIndex.MaxRows"/>).</param>
    public static TrainingCost Estimate(TrainingConfig config, int dimension, int classes, int trainRows, int validationRows, int heads = 1, int indexRows = 0)
    {
        long parameters = 0, layerOutputs = 0, layerInput = dimension;
        foreach (var size in HeadWeights.Layers(config, classes))
        {
            parameters += layerInput * size + size;
            layerOutputs += size;
            layerInput = size;
        }
        // The runtime never pads a batch beyond the training split.
        long batch = Math.Clamp(Math.Min(config.BatchSize, trainRows), 1, int.MaxValue);
        var stepsPerEpoch = (trainRows + batch - 1) / batch;
        var steps = config.Epochs * stepsPerEpoch;
        if (config.MaxSteps > 0) steps = Math.Min(steps, config.MaxSteps);
        return new TrainingCost(parameters, stepsPerEpoch, steps,
            // Three state sets (the host's initial one and the two lane sets each step reads one of and writes the
            // other), each holding the parameters and both AdamW moments; plus the gradients and the best epoch's copy.
            StateBytes: (3 * 3 + 2) * parameters * heads * ElementBytes,
            // A step keeps every layer's pre-activation, activation and gradient for its batch; validation runs one
            // forward pass over the whole validation split.
            ActivationBytes: (3 * batch + validationRows) * layerOutputs * heads * ElementBytes,
            // The embeddings stay resident (on the device for a CUDA lane) for the whole run.
            EmbeddingBytes: ((long)trainRows + validationRows) * dimension * ElementBytes,
            // The index keeps its own centred, normalised copy of the rows.
            IndexBytes: (long)Math.Min(indexRows, NeighbourIndex.MaxRows) * dimension * ElementBytes,
            Heads: heads);
    }
}
