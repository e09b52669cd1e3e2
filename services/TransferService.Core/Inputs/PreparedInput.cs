namespace TransferService.Core.Inputs;

/// <summary>An input validated and converted into what one backbone's model consumes (pixels as floats,
/// token ids, …). Made by the backbone's <see cref="Backbones.IInputPreparer"/> on the caller's thread, so
/// that bad input fails before it is queued; consumed by an <see cref="Backbones.IBackboneSession"/>.</summary>
public abstract class PreparedInput
{
    public InputReport Report { get; init; }

    /// <summary>Memory the prepared values hold, in bytes: what the preparation budget charges while the item
    /// waits for and goes through the model (a 1×1 PNG becomes 196 KB of RGBA pixels for a 224×224 backbone).</summary>
    public long Bytes { get; init; }
}
