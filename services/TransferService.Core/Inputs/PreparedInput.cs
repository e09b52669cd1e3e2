namespace TransferService.Core.Inputs;

/// <summary>An input validated and converted into what one backbone's model consumes (pixels as floats,
/// token ids, …). Made by the backbone's <see cref="Backbones.IInputPreparer"/> on the caller's thread, so
/// that bad input fails before it is queued; consumed by an <see cref="Backbones.IBackboneSession"/>.</summary>
public abstract class PreparedInput
{
    public InputReport Report { get; init; }
}
