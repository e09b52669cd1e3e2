using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

/// <summary>Checks a raw tensor against the backbone's item shape and refuses non-finite values.</summary>
internal sealed class TensorPreparer(TensorSpec spec) : IInputPreparer
{
    public PreparedInput Prepare(EmbeddingInput input)
    {
        if (input is not TensorInput tensor)
            throw TransferException.Invalid("input", $"this backbone takes a tensor, not {InputKinds.Describe(input)}");
        if (!tensor.Shape.SequenceEqual(spec.Shape))
            throw TransferException.Invalid("tensor.shape",
                $"tensor.shape is [{string.Join(",", tensor.Shape)}]; this backbone takes [{string.Join(",", spec.Shape)}]");
        if (tensor.Values.Length != spec.ElementCount)
            throw TransferException.Invalid("tensor.values", $"tensor.values holds {tensor.Values.Length} values; the shape needs {spec.ElementCount}");
        var values = tensor.Values.ToArray();
        var bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) throw TransferException.Invalid("tensor.values", $"tensor.values[{bad}] is {values[bad]}; values must be finite");
        return new PreparedFloats(values);
    }
}
