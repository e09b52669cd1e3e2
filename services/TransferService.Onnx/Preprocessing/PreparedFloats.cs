using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>One item as the float32 tensor the model takes (image planes or a user tensor), batch dim excluded.</summary>
internal sealed class PreparedFloats : PreparedInput
{
    public PreparedFloats(float[] values)
    {
        Values = values;
        Bytes = values.LongLength * sizeof(float);
    }

    public float[] Values { get; }
}
