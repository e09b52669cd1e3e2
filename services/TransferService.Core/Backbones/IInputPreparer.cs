using TransferService.Core.Inputs;

namespace TransferService.Core.Backbones;

/// <summary>Validates and converts inputs for one backbone. Thread-safe; CPU only.</summary>
public interface IInputPreparer
{
    /// <summary>Throws <see cref="Errors.TransferException"/> (InvalidArgument) naming the field within the item.</summary>
    PreparedInput Prepare(EmbeddingInput input);
}
