namespace TransferService.Core.Inputs;

/// <summary>One item to embed, as the caller sent it. A closed set: the four kinds below.</summary>
public abstract record EmbeddingInput
{
    private protected EmbeddingInput() { }
}

/// <summary>An encoded image file (JPEG, PNG, WebP, …).</summary>
public sealed record EncodedImageInput(ReadOnlyMemory<byte> Data) : EmbeddingInput;

/// <summary>Raw 8-bit pixels, HWC, 1, 3 or 4 channels.</summary>
public sealed record RawPixelsInput(ReadOnlyMemory<byte> Data, int Width, int Height, int Channels) : EmbeddingInput;

public sealed record TextInput(string Text) : EmbeddingInput;

/// <summary>A float32 tensor of one item (no batch dimension), row-major.</summary>
public sealed record TensorInput(long[] Shape, ReadOnlyMemory<float> Values) : EmbeddingInput;
