using TransferService.Core.Inputs;

namespace TransferService.Core.Datasets;

/// <summary>Checks an uploaded example's input against the modality it declares (an image decodes, pixels
/// match their size, a text is within limits, a tensor is finite and matches its shape), so a dataset never
/// stores an example that no backbone could embed. Throws <see cref="Errors.TransferException"/>
/// InvalidArgument with the field relative to the input (<c>image</c>, <c>tensor.values</c>, …).</summary>
public interface IExampleValidator
{
    void Validate(EmbeddingInput input);
}
