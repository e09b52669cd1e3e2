using TransferService.Contracts.V1;
using TransferService.Core.Errors;
using TransferService.Core.Inputs;

namespace TransferService.Grpc;

/// <summary>Contract inputs → Core inputs, without copying image bytes.</summary>
internal static class InputMapper
{
    public static EmbeddingInput ToCore(Input? input) => input?.KindCase switch
    {
        Input.KindOneofCase.Image => new EncodedImageInput(input.Image.Memory),
        Input.KindOneofCase.Pixels => new RawPixelsInput(input.Pixels.Data.Memory, ToInt(input.Pixels.Width, "pixels.width"),
            ToInt(input.Pixels.Height, "pixels.height"), ToInt(input.Pixels.Channels, "pixels.channels")),
        Input.KindOneofCase.Text => new TextInput(input.Text),
        Input.KindOneofCase.Tensor => new TensorInput(input.Tensor.Shape.ToArray(), input.Tensor.Values.ToArray()),
        _ => throw TransferException.Invalid("input", "input is empty: set one of image, pixels, text or tensor"),
    };

    private static int ToInt(uint value, string field) =>
        value <= 1 << 20 ? (int)value : throw TransferException.Invalid(field, $"{field} {value} is too large");
}
