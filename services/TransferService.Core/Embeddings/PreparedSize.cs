using TransferService.Core.Backbones;

namespace TransferService.Core.Embeddings;

/// <summary>The most bytes one prepared input of a backbone holds, read from its manifest before anything is
/// decoded: a call reserves this much first, so an input is only expanded once the budget has room for it.
/// The item's own <see cref="Inputs.PreparedInput.Bytes"/> settles the reservation afterwards.</summary>
internal static class PreparedSize
{
    public static long UpperBound(BackboneManifest manifest) => manifest switch
    {
        { Modality: Modality.Image, Image: { } image } => 3L * image.Width * image.Height * sizeof(float),
        { Modality: Modality.Text, Text: { } text } => (long)text.MaxTokens * sizeof(long),
        { Modality: Modality.Tensor, Tensor: { } tensor } => tensor.ElementCount * sizeof(float),
        _ => 0,
    };
}
