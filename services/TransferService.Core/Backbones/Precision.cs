namespace TransferService.Core.Backbones;

/// <summary>The element type a backbone's weights and activations run in on the device.</summary>
public enum Precision
{
    /// <summary>The model as exported (float32).</summary>
    Fp32,
    /// <summary>Weights and most activations in float16, converted at load; inputs, outputs and numerically
    /// sensitive operators (reductions, normalisation, softmax, pooling) stay float32.</summary>
    Fp16,
}
