using CsCheck;
using SkiaSharp;
using TransferService.Core.Inputs;

namespace TransferService.Onnx.Tests.Properties;

/// <summary>Generators of inputs a hostile or careless client could send, of every kind.</summary>
public static class HostileInputs
{
    public static readonly byte[] Png = Encode(SKEncodedImageFormat.Png);
    public static readonly byte[] Jpeg = Encode(SKEncodedImageFormat.Jpeg);

    private static readonly Gen<byte[]> RealImage = Gen.Bool.Select(png => png ? Png : Jpeg);

    /// <summary>Random bytes; real PNG/JPEG bytes with a few bytes replaced or the tail cut; a real signature
    /// followed by random bytes.</summary>
    public static readonly Gen<byte[]> EncodedImage = Gen.OneOf<byte[]>(
        Gen.Byte.Array[0, 300],
        Gen.Select(RealImage, Gen.Int[0, 4000].Array[1, 8], Gen.Byte, Replace),
        Gen.Select(RealImage, Gen.Int[1, 4000], (image, length) => image[..Math.Min(length, image.Length)]),
        Gen.Select<byte[], byte[], byte[]>(RealImage, Gen.Byte.Array[0, 200], (image, tail) => [.. image[..24], .. tail]));

    public static readonly Gen<RawPixelsInput> Pixels =
        Gen.Select(Gen.Int[-2, 40], Gen.Int[-2, 40], Gen.Int[-1, 5], Gen.Int[-3, 3], (width, height, channels, slack) =>
            new RawPixelsInput(new byte[Math.Max(0, Math.Max(width, 0) * Math.Max(height, 0) * Math.Max(channels, 0) + slack)], width, height, channels));

    /// <summary>Any UTF-16 code unit, lone surrogates and control characters included, with some ordinary words.</summary>
    public static readonly Gen<string> Text = Gen.OneOf<string>(
        Gen.Char.Array[0, 80].Select(c => new string(c)),
        Gen.OneOf('\0', '\u0007', '\t', '\n', '\u200B', '\uD800', '\uDC00', '\uFFFF', 'é', 'a', ' ', '#').Array[0, 40].Select(c => new string(c)),
        Gen.OneOf("hello", "world", "##s", "[CLS]", "[SEP]", " ", "\u0301", "\uD83D\uDE00").Array[0, 30].Select(w => string.Concat(w)));

    public static readonly Gen<TensorInput> Tensor =
        Gen.Select(Gen.Long[-2, 6].Array[0, 3], Gen.OneOf<float>(Gen.Float, Gen.OneOf(float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f)).Array[0, 40],
            (shape, values) => new TensorInput(shape, values));

    public static readonly Gen<EmbeddingInput> Any = Gen.OneOf<EmbeddingInput>(
        EncodedImage.Select(b => (EmbeddingInput)new EncodedImageInput(b)), Pixels.Select(p => (EmbeddingInput)p),
        Text.Select(t => (EmbeddingInput)new TextInput(t)), Tensor.Select(t => (EmbeddingInput)t));

    private static byte[] Replace(byte[] original, int[] offsets, byte value)
    {
        var bytes = original.ToArray();
        foreach (var offset in offsets) bytes[offset % bytes.Length] = value;
        return bytes;
    }

    private static byte[] Encode(SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(24, 16);
        for (var y = 0; y < 16; y++)
            for (var x = 0; x < 24; x++) bitmap.SetPixel(x, y, new SKColor((byte)(x * 10), (byte)(y * 15), (byte)(x * y)));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}
