using Microsoft.ML.OnnxRuntime;

namespace TransferService.Onnx.Training;

/// <summary>The host buffers that change every step (batch indices, labels, sample weights, dropout masks, learning
/// rates, step) and the OrtValues over them. Owns both; the values pin the arrays until disposed.</summary>
internal sealed class StepInputs : IDisposable
{
    private readonly List<(string Name, OrtValue Value)> _values = [];
    private readonly float[] _learningRates;
    private readonly float[] _step = new float[1];

    public StepInputs(TrainingGraphSpec spec, int batchSize)
    {
        Indices = new long[batchSize];
        Labels = new long[batchSize];
        SampleWeights = new float[batchSize];
        Add(HeadTensorNames.BatchIndices, OrtValue.CreateTensorValueFromMemory(Indices, [batchSize]));
        Add(HeadTensorNames.Labels, OrtValue.CreateTensorValueFromMemory(Labels, [batchSize]));
        Add(HeadTensorNames.SampleWeights, OrtValue.CreateTensorValueFromMemory(SampleWeights, [batchSize]));
        _learningRates = new float[spec.Heads];
        Add(HeadTensorNames.LearningRate, OrtValue.CreateTensorValueFromMemory(_learningRates, spec.Stacked ? [spec.Heads] : []));
        Add(HeadTensorNames.Step, OrtValue.CreateTensorValueFromMemory(_step, []));
        Masks = spec.DropoutMasks
            ? [.. Enumerable.Range(0, spec.Layers - 1).Select(l => new float[batchSize * spec.LayerSizes[l]])]
            : [];
        for (var l = 0; l < Masks.Length; l++)
            Add(HeadTensorNames.DropoutMask(l), OrtValue.CreateTensorValueFromMemory(Masks[l], [batchSize, spec.LayerSizes[l]]));
    }

    public long[] Indices { get; }
    public long[] Labels { get; }
    public float[] SampleWeights { get; }
    /// <summary>One per head (stacked heads), else one: 0 freezes a head.</summary>
    public float[] LearningRates => _learningRates;
    /// <summary>Per hidden layer, [B × hidden] row-major: 0 for a dropped unit, 1/(1−p) for a kept one.</summary>
    public float[][] Masks { get; }

    /// <summary>Binds the current contents. On a CUDA lane binding copies them to the device, so bind after every fill.</summary>
    public void Bind(OrtIoBinding binding, long step)
    {
        _step[0] = step;
        foreach (var (name, value) in _values) binding.BindInput(name, value);
    }

    /// <summary>Draws every mask from <paramref name="random"/>: each unit is kept with probability 1 − p.</summary>
    public void DrawMasks(float dropout, Random random)
    {
        var kept = 1 / (1 - dropout);
        foreach (var mask in Masks)
            for (var i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < dropout ? 0 : kept;
    }

    public void Dispose()
    {
        foreach (var (_, value) in _values) value.Dispose();
    }

    private void Add(string name, OrtValue value) => _values.Add((name, value));
}
