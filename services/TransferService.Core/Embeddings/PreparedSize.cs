using TransferService.Core.Backbones;

namespace TransferService.Core.Embeddings;

/// <summary>The most bytes one prepared input of a backbone holds, read from its manifest before anything is
/// decoded (an image is held as its 8-bit RGBA pixels at the model's size): a call reserves this much first, so an input is only expanded once the budget has room for it.
/// The item's own <see cref="Inputs.PreparedInput.Bytes"/> settles the reservation afterwards.</summary>
internal static class PreparedSize
{
    public static long UpperBound(BackboneManifest manifest) => manifest switch
    {
        { Modality: Modality.Image, Image: { } image } => 4L * image.Width * image.Height,
        { Modality: Modality.Text, Text: { } text } => (long)text.MaxTokens * sizeof(long),
        { Modality: Modality.Tensor, Tensor: { } tensor } => tensor.ElementCount * sizeof(float),
        _ => 0,
    };
}
