using TransferService.Core.Inputs;

namespace TransferService.Onnx.Preprocessing;

internal static class InputKinds
{
    /// <summary>The input's kind in words, for "this backbone takes X, not Y" errors.</summary>
    public static string Describe(EmbeddingInput input) => input switch
    {
        EncodedImageInput => "an encoded image",
        RawPixelsInput => "raw pixels",
        TextInput => "text",
        TensorInput => "a tensor",
        _ => "an empty input",
    };
}
